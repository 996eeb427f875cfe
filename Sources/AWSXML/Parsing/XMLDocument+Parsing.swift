extension XMLDocument {
    /// The default limit on element nesting.
    public static let defaultMaximumDepth = 256

    /// Parses a UTF-8 document strictly; rejects DTDs, unknown entities and malformed markup.
    public init(bytes: [UInt8], maximumDepth: Int = XMLDocument.defaultMaximumDepth) throws(XMLParseError) {
        var parser = XMLParser(bytes: bytes, maximumDepth: maximumDepth)
        self = try parser.parseDocument()
    }

    /// Parses a document held in a string (as its UTF-8 bytes).
    public init(string: String, maximumDepth: Int = XMLDocument.defaultMaximumDepth) throws(XMLParseError) {
        try self.init(bytes: Array(string.utf8), maximumDepth: maximumDepth)
    }
}
