/// An attribute of an element, keeping its raw text, quote style and spacing as written.
public struct XMLAttribute: Sendable, Equatable {
    /// The qualified name as written, e.g. `xmlns` or `xsi:type`.
    public let name: String
    /// The value exactly as written between the quotes.
    public private(set) var rawValue: String
    /// The value with references decoded and whitespace normalized as XML requires.
    public private(set) var value: String

    var quote: Character
    var leadingWhitespace: String
    var equalsSign: String

    /// An attribute written as ` name="value"` with `value` escaped.
    public init(name: String, value: String) {
        self.name = name
        self.rawValue = xmlEscaped(value)
        self.value = value
        self.quote = "\""
        self.leadingWhitespace = " "
        self.equalsSign = "="
    }

    init(name: String, rawValue: String, value: String, quote: Character, leadingWhitespace: String, equalsSign: String) {
        self.name = name
        self.rawValue = rawValue
        self.value = value
        self.quote = quote
        self.leadingWhitespace = leadingWhitespace
        self.equalsSign = equalsSign
    }

    /// Replaces the value (escaped on write), keeping quote style and spacing.
    public mutating func setValue(_ newValue: String) {
        rawValue = xmlEscaped(newValue)
        value = newValue
    }
}
