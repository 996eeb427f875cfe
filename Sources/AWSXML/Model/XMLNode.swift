/// One node of an XML tree, in document order.
public enum XMLNode: Sendable, Equatable {
    /// A child element.
    case element(XMLElement)
    /// Character data, kept as written.
    case text(XMLText)
    /// The content of a `<![CDATA[...]]>` section (must not contain `]]>`).
    case cdata(String)
    /// The content of a `<!--...-->` comment (must not contain `--` nor end with `-`).
    case comment(String)
    /// A processing instruction `<?target data?>`, including the XML declaration.
    case processingInstruction(XMLProcessingInstruction)
}
