/// Character data as written in the document together with its decoded value.
public struct XMLText: Sendable, Equatable {
    /// The text exactly as written, entity and character references included.
    public let raw: String
    /// The text with references decoded and line ends normalized to `\n`.
    public let value: String

    /// Text whose raw form is `value` escaped for character data.
    public init(_ value: String) {
        self.raw = xmlTextEscaped(value)
        self.value = value
    }

    init(raw: String, value: String) {
        self.raw = raw
        self.value = value
    }

    /// Whether the text is only XML whitespace (space, tab, CR, LF), e.g. indentation.
    public var isWhitespace: Bool {
        raw.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }
}
