/// A strict, non-validating XML 1.0 parser (UTF-8 only, no DTD) that keeps every byte
/// needed to write the document back exactly as it was read.
struct XMLParser {
    let bytes: [UInt8]
    let maximumDepth: Int
    var index: Int

    static let maximumReferenceLength = 64

    init(bytes: [UInt8], maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = max(1, maximumDepth)
        self.index = 0
    }

    mutating func parseDocument() throws(XMLParseError) -> XMLDocument {
        try validateEncoding()
        var hasByteOrderMark = false
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            hasByteOrderMark = true
            index = 3
        }
        var prolog: [XMLNode] = []
        if lookingAt("<?xml"), index + 5 < bytes.count, isWhitespace(bytes[index + 5]) || bytes[index + 5] == UInt8(ascii: "?") {
            prolog.append(.processingInstruction(try parseXMLDeclaration()))
        }
        while true {
            guard index < bytes.count else { throw error(.missingRootElement) }
            let byte = bytes[index]
            if isWhitespace(byte) {
                prolog.append(.text(whitespaceNode()))
            } else if byte != UInt8(ascii: "<") {
                throw error(.textBeforeRootElement)
            } else if lookingAt("<!--") {
                prolog.append(.comment(try parseComment()))
            } else if lookingAt("<?") {
                prolog.append(.processingInstruction(try parseProcessingInstruction()))
            } else if lookingAt("<!DOCTYPE") {
                throw error(.doctypeNotAllowed)
            } else if lookingAt("<!") {
                throw unexpected(at: index + 1, expected: "'<!--' or the root element")
            } else {
                break
            }
        }
        let root = try parseRootElement()
        var epilog: [XMLNode] = []
        while index < bytes.count {
            let byte = bytes[index]
            if isWhitespace(byte) {
                epilog.append(.text(whitespaceNode()))
            } else if lookingAt("<!--") {
                epilog.append(.comment(try parseComment()))
            } else if lookingAt("<?") {
                epilog.append(.processingInstruction(try parseProcessingInstruction()))
            } else if lookingAt("<!DOCTYPE") {
                throw error(.doctypeNotAllowed)
            } else {
                throw error(.contentAfterRootElement)
            }
        }
        return XMLDocument(hasByteOrderMark: hasByteOrderMark, prolog: prolog, root: root, epilog: epilog)
    }

    // MARK: Elements

    struct OpenElement {
        var element: XMLElement
        let offset: Int
    }

    mutating func parseRootElement() throws(XMLParseError) -> XMLElement {
        let rootStart = index
        let (root, closed) = try parseStartTag()
        if closed { return root }
        var stack = [OpenElement(element: root, offset: rootStart)]
        while true {
            guard index < bytes.count else {
                let open = stack[stack.count - 1]
                throw error(.unclosedElement(name: open.element.name, openedAtLine: position(of: open.offset).line))
            }
            guard bytes[index] == UInt8(ascii: "<") else {
                stack[stack.count - 1].element.children.append(.text(try parseText()))
                continue
            }
            guard index + 1 < bytes.count else {
                throw error(.unexpectedEndOfInput(expected: "a tag name after '<'"))
            }
            switch bytes[index + 1] {
            case UInt8(ascii: "/"):
                let endTagStart = index
                let (name, trailing) = try parseEndTag()
                var finished = stack.removeLast()
                guard name == finished.element.name else {
                    throw XMLParseError.at(
                        .mismatchedEndTag(expected: finished.element.name, found: name),
                        offset: endTagStart, in: bytes
                    )
                }
                finished.element.endTagTrailingWhitespace = trailing
                if stack.isEmpty { return finished.element }
                stack[stack.count - 1].element.children.append(.element(finished.element))
            case UInt8(ascii: "!"):
                if lookingAt("<!--") {
                    stack[stack.count - 1].element.children.append(.comment(try parseComment()))
                } else if lookingAt("<![CDATA[") {
                    stack[stack.count - 1].element.children.append(.cdata(try parseCDATA()))
                } else if lookingAt("<!DOCTYPE") {
                    throw error(.doctypeNotAllowed)
                } else {
                    throw unexpected(at: index + 1, expected: "'<!--', '<![CDATA[' or an element")
                }
            case UInt8(ascii: "?"):
                stack[stack.count - 1].element.children.append(.processingInstruction(try parseProcessingInstruction()))
            default:
                guard stack.count < maximumDepth else { throw error(.depthLimitExceeded(maximumDepth)) }
                let start = index
                let (element, closed) = try parseStartTag()
                if closed {
                    stack[stack.count - 1].element.children.append(.element(element))
                } else {
                    stack.append(OpenElement(element: element, offset: start))
                }
            }
        }
    }

    /// Parses `<name attr="v" ...>` or `<name .../>`; returns the element and whether it was self-closing.
    mutating func parseStartTag() throws(XMLParseError) -> (XMLElement, Bool) {
        index += 1
        let name = try parseName(expected: "an element name")
        var element = XMLElement(name: name)
        while true {
            let whitespace = skipWhitespace()
            guard index < bytes.count else {
                throw error(.unexpectedEndOfInput(expected: "'>' or '/>' to end <\(name)>"))
            }
            switch bytes[index] {
            case UInt8(ascii: ">"):
                index += 1
                element.startTagTrailingWhitespace = whitespace
                return (element, false)
            case UInt8(ascii: "/"):
                guard index + 1 < bytes.count else {
                    throw error(.unexpectedEndOfInput(expected: "'>' after '/' in <\(name)>"))
                }
                guard bytes[index + 1] == UInt8(ascii: ">") else {
                    throw unexpected(at: index + 1, expected: "'>' after '/' in <\(name)>")
                }
                index += 2
                element.startTagTrailingWhitespace = whitespace
                element.isSelfClosing = true
                return (element, true)
            default:
                guard !whitespace.isEmpty else {
                    throw unexpected(at: index, expected: "whitespace, '>' or '/>' in <\(name)>")
                }
                let attributeStart = index
                let attribute = try parseAttribute(leadingWhitespace: whitespace, element: name)
                if element.attributes.contains(where: { $0.name == attribute.name }) {
                    throw XMLParseError.at(.duplicateAttribute(attribute.name), offset: attributeStart, in: bytes)
                }
                element.attributes.append(attribute)
            }
        }
    }

    mutating func parseAttribute(leadingWhitespace: String, element: String) throws(XMLParseError) -> XMLAttribute {
        let name = try parseName(expected: "an attribute name in <\(element)>")
        let equalsStart = index
        _ = skipWhitespace()
        guard index < bytes.count else {
            throw error(.unexpectedEndOfInput(expected: "'=' after attribute '\(name)'"))
        }
        guard bytes[index] == UInt8(ascii: "=") else {
            throw unexpected(at: index, expected: "'=' after attribute '\(name)'")
        }
        index += 1
        _ = skipWhitespace()
        let equalsSign = string(equalsStart..<index)
        guard index < bytes.count else {
            throw error(.unexpectedEndOfInput(expected: "a quoted value for attribute '\(name)'"))
        }
        let quote = bytes[index]
        guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
            throw unexpected(at: index, expected: "a quoted value for attribute '\(name)'")
        }
        index += 1
        let valueStart = index
        while index < bytes.count, bytes[index] != quote {
            if bytes[index] == UInt8(ascii: "<") { throw error(.lessThanInAttributeValue) }
            index += 1
        }
        guard index < bytes.count else {
            throw error(.unexpectedEndOfInput(expected: "the closing quote of attribute '\(name)'"))
        }
        let range = valueStart..<index
        index += 1
        return XMLAttribute(
            name: name,
            rawValue: string(range),
            value: try decode(range, attribute: true),
            quote: Character(Unicode.Scalar(quote)),
            leadingWhitespace: leadingWhitespace,
            equalsSign: equalsSign
        )
    }

    /// Parses `</name S?>`; returns the name and the whitespace before `>`.
    mutating func parseEndTag() throws(XMLParseError) -> (String, String) {
        index += 2
        let name = try parseName(expected: "an element name after '</'")
        let trailing = skipWhitespace()
        guard index < bytes.count else {
            throw error(.unexpectedEndOfInput(expected: "'>' to end </\(name)>"))
        }
        guard bytes[index] == UInt8(ascii: ">") else {
            throw unexpected(at: index, expected: "'>' to end </\(name)>")
        }
        index += 1
        return (name, trailing)
    }
}
