/// A whole XML document: whatever precedes the root element (declaration, comments,
/// processing instructions, whitespace), the root, and whatever follows it.
public struct XMLDocument: Sendable, Equatable {
    /// Whether the input began with a UTF-8 byte order mark.
    public var hasByteOrderMark: Bool
    /// Nodes before the root: the XML declaration, comments, processing instructions, whitespace.
    public var prolog: [XMLNode]
    /// The root element.
    public var root: XMLElement
    /// Nodes after the root: comments, processing instructions, whitespace.
    public var epilog: [XMLNode]

    /// A document for `root`, written after `<?xml version="1.0" encoding="UTF-8"?>` unless
    /// `declaration` is false.
    public init(root: XMLElement, declaration: Bool = true) {
        self.hasByteOrderMark = false
        self.prolog = declaration ? [.processingInstruction(.standardDeclaration)] : []
        self.root = root
        self.epilog = []
    }

    init(hasByteOrderMark: Bool, prolog: [XMLNode], root: XMLElement, epilog: [XMLNode]) {
        self.hasByteOrderMark = hasByteOrderMark
        self.prolog = prolog
        self.root = root
        self.epilog = epilog
    }

    /// The XML declaration, if the document has one.
    public var declaration: XMLProcessingInstruction? {
        guard case .processingInstruction(let pi)? = prolog.first, pi.isXMLDeclaration else { return nil }
        return pi
    }
}
