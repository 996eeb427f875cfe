/// Why an input is not a well-formed XML document we accept, and where.
///
/// Messages name structure (tag names, entity names, one offending character), never a
/// run of the document's text, so parsing a document that holds secrets cannot leak them.
public struct XMLParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Sendable, Equatable {
        /// The bytes are not valid UTF-8.
        case invalidUTF8
        /// A character XML 1.0 does not allow anywhere (e.g. a control character).
        case invalidCharacter(UInt32)
        /// The input ended where `expected` was required.
        case unexpectedEndOfInput(expected: String)
        /// `found` (a character) appeared where `expected` was required.
        case unexpectedCharacter(found: String, expected: String)
        /// An element was still open at the end of input.
        case unclosedElement(name: String, openedAtLine: Int)
        /// An end tag did not match the innermost open element.
        case mismatchedEndTag(expected: String, found: String)
        /// The same attribute appears twice in one start tag.
        case duplicateAttribute(String)
        /// A reference to an entity other than the five XML predefines.
        case unknownEntity(String)
        /// A character reference that is malformed or names a character XML forbids.
        case invalidCharacterReference(String)
        /// A `<` inside an attribute value.
        case lessThanInAttributeValue
        /// `]]>` in character data.
        case cdataEndInText
        /// `--` inside a comment, or a comment ending in `-`.
        case doubleHyphenInComment
        /// A document type declaration; refused (entity expansion and XXE).
        case doctypeNotAllowed
        /// No root element.
        case missingRootElement
        /// Non-whitespace text before the root element.
        case textBeforeRootElement
        /// Text or a second element after the root element.
        case contentAfterRootElement
        /// An XML declaration that is malformed or not at the very start.
        case invalidXMLDeclaration(String)
        /// An encoding other than UTF-8 declared.
        case unsupportedEncoding(String)
        /// Elements nested deeper than the limit.
        case depthLimitExceeded(Int)
    }

    /// What went wrong.
    public let reason: Reason
    /// The 1-based line of the problem.
    public let line: Int
    /// The 1-based column (in Unicode scalars) of the problem.
    public let column: Int
    /// The 0-based byte offset of the problem.
    public let offset: Int

    public init(reason: Reason, line: Int, column: Int, offset: Int) {
        self.reason = reason
        self.line = line
        self.column = column
        self.offset = offset
    }

    public var description: String {
        "XML parse error at line \(line), column \(column): \(reasonText)"
    }

    private var reasonText: String {
        switch reason {
        case .invalidUTF8:
            return "the input is not valid UTF-8"
        case .invalidCharacter(let scalar):
            return "character U+\(hex(scalar)) is not allowed in XML"
        case .unexpectedEndOfInput(let expected):
            return "the input ends early; expected \(expected)"
        case .unexpectedCharacter(let found, let expected):
            return "found \(found), expected \(expected)"
        case .unclosedElement(let name, let openedAtLine):
            return "element <\(name)> opened at line \(openedAtLine) is never closed"
        case .mismatchedEndTag(let expected, let found):
            return "end tag </\(found)> does not match the open element; expected </\(expected)>"
        case .duplicateAttribute(let name):
            return "attribute '\(name)' appears twice in one tag"
        case .unknownEntity(let name):
            return "unknown entity '&\(name);'; only &lt; &gt; &amp; &apos; &quot; and character references are allowed"
        case .invalidCharacterReference(let text):
            return "invalid character reference '&\(text);'"
        case .lessThanInAttributeValue:
            return "'<' is not allowed in an attribute value; write &lt;"
        case .cdataEndInText:
            return "']]>' is not allowed in text; write ]]&gt;"
        case .doubleHyphenInComment:
            return "'--' is not allowed inside a comment"
        case .doctypeNotAllowed:
            return "document type declarations (<!DOCTYPE>) are refused"
        case .missingRootElement:
            return "the document has no root element"
        case .textBeforeRootElement:
            return "text before the root element; expected '<'"
        case .contentAfterRootElement:
            return "content after the root element; only comments, processing instructions and whitespace may follow it"
        case .invalidXMLDeclaration(let problem):
            return "invalid XML declaration: \(problem)"
        case .unsupportedEncoding(let name):
            return "encoding '\(name)' is not supported; only UTF-8 is"
        case .depthLimitExceeded(let limit):
            return "elements are nested deeper than \(limit) levels"
        }
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
