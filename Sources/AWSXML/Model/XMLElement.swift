/// An element: its qualified name, attributes and children, with the spacing inside its
/// tags kept so that an unchanged element serializes to the bytes it was parsed from.
public struct XMLElement: Sendable, Equatable {
    /// The qualified name as written, e.g. `DistributionConfig` or `soap:Envelope`.
    public var name: String
    /// Attributes in document order, namespace declarations included.
    public var attributes: [XMLAttribute]
    /// Child nodes in document order.
    public var children: [XMLNode]
    /// Whether the element is written `<name/>`; honoured only while it has no children.
    public var isSelfClosing: Bool

    var startTagTrailingWhitespace: String
    var endTagTrailingWhitespace: String

    /// A new element; written with a start and an end tag.
    public init(name: String, attributes: [XMLAttribute] = [], children: [XMLNode] = []) {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.isSelfClosing = false
        self.startTagTrailingWhitespace = ""
        self.endTagTrailingWhitespace = ""
    }

    /// A new element holding one text node with `text` (escaped on write).
    public init(name: String, attributes: [XMLAttribute] = [], text: String) {
        self.init(name: name, attributes: attributes, children: [.text(XMLText(text))])
    }

    /// A new element whose children are `elements`.
    public init(name: String, attributes: [XMLAttribute] = [], elements: [XMLElement]) {
        self.init(name: name, attributes: attributes, children: elements.map(XMLNode.element))
    }
}
