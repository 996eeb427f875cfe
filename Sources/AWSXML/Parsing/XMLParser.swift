/// A strict, non-validating XML 1.0 parser (UTF-8 only, no DTD) that keeps every byte
/// needed to write the document back exactly as it was read.
struct XMLParser {
    private let bytes: [UInt8]
    private let maximumDepth: Int
    private var index: Int

    private static let maximumReferenceLength = 64

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

    private struct OpenElement {
        var element: XMLElement
        let offset: Int
    }

    private mutating func parseRootElement() throws(XMLParseError) -> XMLElement {
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
    private mutating func parseStartTag() throws(XMLParseError) -> (XMLElement, Bool) {
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

    private mutating func parseAttribute(leadingWhitespace: String, element: String) throws(XMLParseError) -> XMLAttribute {
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
    private mutating func parseEndTag() throws(XMLParseError) -> (String, String) {
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

    // MARK: Character data, comments, CDATA, processing instructions

    private mutating func parseText() throws(XMLParseError) -> XMLText {
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "<") {
            if bytes[index] == UInt8(ascii: ">"), index >= start + 2,
               bytes[index - 1] == UInt8(ascii: "]"), bytes[index - 2] == UInt8(ascii: "]") {
                throw XMLParseError.at(.cdataEndInText, offset: index - 2, in: bytes)
            }
            index += 1
        }
        let range = start..<index
        return XMLText(raw: string(range), value: try decode(range, attribute: false))
    }

    private mutating func whitespaceNode() -> XMLText {
        let text = skipWhitespace()
        return XMLText(raw: text, value: normalizedLineEnds(text))
    }

    private mutating func parseComment() throws(XMLParseError) -> String {
        index += 4
        let start = index
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "-"), bytes[index + 1] == UInt8(ascii: "-") {
                guard index + 2 < bytes.count else { break }
                guard bytes[index + 2] == UInt8(ascii: ">") else { throw error(.doubleHyphenInComment) }
                let content = string(start..<index)
                index += 3
                return content
            }
            index += 1
        }
        index = bytes.count
        throw error(.unexpectedEndOfInput(expected: "'-->' to end the comment"))
    }

    private mutating func parseCDATA() throws(XMLParseError) -> String {
        index += 9
        let start = index
        while index + 2 < bytes.count {
            if bytes[index] == UInt8(ascii: "]"), bytes[index + 1] == UInt8(ascii: "]"), bytes[index + 2] == UInt8(ascii: ">") {
                let content = string(start..<index)
                index += 3
                return content
            }
            index += 1
        }
        index = bytes.count
        throw error(.unexpectedEndOfInput(expected: "']]>' to end the CDATA section"))
    }

    private mutating func parseProcessingInstruction() throws(XMLParseError) -> XMLProcessingInstruction {
        let start = index
        index += 2
        let target = try parseName(expected: "a processing instruction target after '<?'")
        if target.lowercased() == "xml" {
            throw XMLParseError.at(
                .invalidXMLDeclaration("it may appear only once, at the very start of the document"),
                offset: start, in: bytes
            )
        }
        let dataStart = index
        if index < bytes.count, !isWhitespace(bytes[index]), !lookingAt("?>") {
            throw unexpected(at: index, expected: "whitespace or '?>' after '<?\(target)'")
        }
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "?"), bytes[index + 1] == UInt8(ascii: ">") {
                let rawData = string(dataStart..<index)
                index += 2
                return XMLProcessingInstruction(target: target, rawData: rawData)
            }
            index += 1
        }
        index = bytes.count
        throw error(.unexpectedEndOfInput(expected: "'?>' to end <?\(target)"))
    }

    private mutating func parseXMLDeclaration() throws(XMLParseError) -> XMLProcessingInstruction {
        index += 5
        let dataStart = index
        var seen: [String] = []
        while true {
            let whitespace = skipWhitespace()
            guard index < bytes.count else {
                throw error(.unexpectedEndOfInput(expected: "'?>' to end the XML declaration"))
            }
            if lookingAt("?>") {
                guard seen.first == "version" else {
                    throw error(.invalidXMLDeclaration("'version' is required and must come first"))
                }
                let rawData = string(dataStart..<index)
                index += 2
                return XMLProcessingInstruction(target: "xml", rawData: rawData)
            }
            guard !whitespace.isEmpty else {
                throw unexpected(at: index, expected: "whitespace or '?>' in the XML declaration")
            }
            let nameStart = index
            let attribute = try parseAttribute(leadingWhitespace: whitespace, element: "?xml")
            let order = ["version", "encoding", "standalone"]
            guard let position = order.firstIndex(of: attribute.name),
                  seen.allSatisfy({ (order.firstIndex(of: $0) ?? 0) < position }),
                  position == 0 || !seen.isEmpty else {
                throw XMLParseError.at(
                    .invalidXMLDeclaration("expected version, then optional encoding and standalone, in that order"),
                    offset: nameStart, in: bytes
                )
            }
            switch attribute.name {
            case "version":
                guard attribute.rawValue.hasPrefix("1."), attribute.rawValue.count > 2,
                      attribute.rawValue.dropFirst(2).allSatisfy({ $0.isASCII && $0.isNumber }) else {
                    throw XMLParseError.at(.invalidXMLDeclaration("version must be 1.x"), offset: nameStart, in: bytes)
                }
            case "encoding":
                let name = attribute.rawValue.lowercased()
                guard name == "utf-8" || name == "utf8" else {
                    throw XMLParseError.at(.unsupportedEncoding(attribute.rawValue), offset: nameStart, in: bytes)
                }
            default:
                guard attribute.rawValue == "yes" || attribute.rawValue == "no" else {
                    throw XMLParseError.at(.invalidXMLDeclaration("standalone must be 'yes' or 'no'"), offset: nameStart, in: bytes)
                }
            }
            seen.append(attribute.name)
        }
    }

    // MARK: References

    /// Decodes entity and character references in `range`, normalizing line ends (and, in
    /// attribute values, whitespace characters to spaces) as XML 1.0 requires.
    private func decode(_ range: Range<Int>, attribute: Bool) throws(XMLParseError) -> String {
        var needsWork = false
        for position in range {
            let byte = bytes[position]
            if byte == UInt8(ascii: "&") || byte == 0x0D || (attribute && (byte == 0x09 || byte == 0x0A)) {
                needsWork = true
                break
            }
        }
        guard needsWork else { return string(range) }
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var position = range.lowerBound
        while position < range.upperBound {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "&"):
                position = try decodeReference(at: position, limit: range.upperBound, into: &out)
                continue
            case 0x0D:
                out.append(attribute ? 0x20 : 0x0A)
                if position + 1 < range.upperBound, bytes[position + 1] == 0x0A { position += 1 }
            case 0x09 where attribute, 0x0A where attribute:
                out.append(0x20)
            default:
                out.append(byte)
            }
            position += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes the reference starting with `&` at `start`; returns the position after its `;`.
    private func decodeReference(at start: Int, limit: Int, into out: inout [UInt8]) throws(XMLParseError) -> Int {
        var end = start + 1
        while end < limit, bytes[end] != UInt8(ascii: ";"), end - start <= Self.maximumReferenceLength {
            let byte = bytes[end]
            if isWhitespace(byte) || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") { break }
            end += 1
        }
        guard end < limit, bytes[end] == UInt8(ascii: ";") else {
            if end >= bytes.count {
                throw XMLParseError.at(.unexpectedEndOfInput(expected: "';' to end the reference"), offset: end, in: bytes)
            }
            throw XMLParseError.at(
                .unexpectedCharacter(found: Self.describe(bytes, at: end), expected: "';' to end the reference"),
                offset: end, in: bytes
            )
        }
        let body = Array(bytes[(start + 1)..<end])
        let text = String(decoding: body, as: UTF8.self)
        if body.first == UInt8(ascii: "#") {
            guard let scalar = Self.characterReference(body), Self.isXMLChar(scalar.value) else {
                throw XMLParseError.at(.invalidCharacterReference(text), offset: start, in: bytes)
            }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
            return end + 1
        }
        switch text {
        case "lt": out.append(UInt8(ascii: "<"))
        case "gt": out.append(UInt8(ascii: ">"))
        case "amp": out.append(UInt8(ascii: "&"))
        case "apos": out.append(UInt8(ascii: "'"))
        case "quot": out.append(UInt8(ascii: "\""))
        default:
            guard !body.isEmpty else {
                throw XMLParseError.at(.unexpectedCharacter(found: "';'", expected: "an entity name after '&'"), offset: end, in: bytes)
            }
            throw XMLParseError.at(.unknownEntity(text), offset: start, in: bytes)
        }
        return end + 1
    }

    /// The scalar of `#123` or `#x7B`, if well formed.
    private static func characterReference(_ body: [UInt8]) -> Unicode.Scalar? {
        var digits = body.dropFirst()
        var radix: UInt32 = 10
        if digits.first == UInt8(ascii: "x") {
            radix = 16
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.count <= 8 else { return nil }
        var value: UInt32 = 0
        for byte in digits {
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f") where radix == 16: digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F") where radix == 16: digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            value = value * radix + digit
            if value > 0x10FFFF { return nil }
        }
        return Unicode.Scalar(value)
    }

    // MARK: Names and whitespace

    private mutating func parseName(expected: String) throws(XMLParseError) -> String {
        let start = index
        guard index < bytes.count else { throw error(.unexpectedEndOfInput(expected: expected)) }
        let (first, firstLength) = scalar(at: index)
        guard Self.isNameStart(first) else { throw unexpected(at: index, expected: expected) }
        index += firstLength
        while index < bytes.count {
            let (next, length) = scalar(at: index)
            guard Self.isNameChar(next) else { break }
            index += length
        }
        return string(start..<index)
    }

    @discardableResult
    private mutating func skipWhitespace() -> String {
        let start = index
        while index < bytes.count, isWhitespace(bytes[index]) { index += 1 }
        return start == index ? "" : string(start..<index)
    }

    private func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }

    private func lookingAt(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return literal.withUTF8Buffer { buffer in
            for offset in 0..<count where bytes[index + offset] != buffer[offset] { return false }
            return true
        }
    }

    private func string(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    private func normalizedLineEnds(_ text: String) -> String {
        guard text.utf8.contains(0x0D) else { return text }
        var out: [UInt8] = []
        var previousWasCR = false
        for byte in text.utf8 {
            if byte == 0x0A, previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = byte == 0x0D
            out.append(previousWasCR ? 0x0A : byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Encoding

    /// Checks the whole input is UTF-8 made only of characters XML 1.0 allows.
    private func validateEncoding() throws(XMLParseError) {
        var position = 0
        while position < bytes.count {
            let byte = bytes[position]
            if byte < 0x80 {
                if byte < 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D {
                    throw XMLParseError.at(.invalidCharacter(UInt32(byte)), offset: position, in: bytes)
                }
                position += 1
                continue
            }
            guard let (value, length) = Self.decodeUTF8(bytes, at: position) else {
                throw XMLParseError.at(.invalidUTF8, offset: position, in: bytes)
            }
            guard Self.isXMLChar(value) || (position == 0 && value == 0xFEFF) else {
                throw XMLParseError.at(.invalidCharacter(value), offset: position, in: bytes)
            }
            position += length
        }
    }

    /// Decodes one multi-byte UTF-8 sequence, rejecting overlong forms and surrogates.
    static func decodeUTF8(_ bytes: [UInt8], at position: Int) -> (UInt32, Int)? {
        let lead = bytes[position]
        let length: Int
        var value: UInt32
        switch lead {
        case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; value = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; value = UInt32(lead & 0x07)
        default: return nil
        }
        guard position + length <= bytes.count else { return nil }
        for offset in 1..<length {
            let byte = bytes[position + offset]
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        switch length {
        case 3 where value < 0x800 || (0xD800...0xDFFF).contains(value): return nil
        case 4 where value < 0x10000 || value > 0x10FFFF: return nil
        default: return (value, length)
        }
    }

    /// The scalar at `position` of already validated UTF-8, and its length in bytes.
    private func scalar(at position: Int) -> (UInt32, Int) {
        let byte = bytes[position]
        if byte < 0x80 { return (UInt32(byte), 1) }
        return Self.decodeUTF8(bytes, at: position) ?? (0xFFFD, 1)
    }

    static func isXMLChar(_ value: UInt32) -> Bool {
        switch value {
        case 0x09, 0x0A, 0x0D, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    static func isNameStart(_ value: UInt32) -> Bool {
        switch value {
        case 0x3A, 0x41...0x5A, 0x5F, 0x61...0x7A, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2FF, 0x370...0x37D,
             0x37F...0x1FFF, 0x200C...0x200D, 0x2070...0x218F, 0x2C00...0x2FEF, 0x3001...0xD7FF,
             0xF900...0xFDCF, 0xFDF0...0xFFFD, 0x10000...0xEFFFF:
            return true
        default:
            return false
        }
    }

    static func isNameChar(_ value: UInt32) -> Bool {
        switch value {
        case 0x2D, 0x2E, 0x30...0x39, 0xB7, 0x300...0x36F, 0x203F...0x2040: return true
        default: return isNameStart(value)
        }
    }

    // MARK: Errors

    private func error(_ reason: XMLParseError.Reason) -> XMLParseError {
        XMLParseError.at(reason, offset: index, in: bytes)
    }

    private func unexpected(at position: Int, expected: String) -> XMLParseError {
        guard position < bytes.count else {
            return XMLParseError.at(.unexpectedEndOfInput(expected: expected), offset: position, in: bytes)
        }
        return XMLParseError.at(
            .unexpectedCharacter(found: Self.describe(bytes, at: position), expected: expected),
            offset: position, in: bytes
        )
    }

    private func position(of offset: Int) -> (line: Int, column: Int) {
        XMLParseError.position(of: offset, in: bytes)
    }

    /// A short, content-free description of the character at `position`.
    static func describe(_ bytes: [UInt8], at position: Int) -> String {
        guard position < bytes.count else { return "the end of input" }
        let byte = bytes[position]
        switch byte {
        case 0x20: return "a space"
        case 0x09: return "a tab"
        case 0x0A, 0x0D: return "a line break"
        case 0x21...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
        default:
            let value = byte < 0x80 ? UInt32(byte) : (decodeUTF8(bytes, at: position)?.0 ?? UInt32(byte))
            let digits = String(value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        }
    }
}

extension XMLParseError {
    static func at(_ reason: Reason, offset: Int, in bytes: [UInt8]) -> XMLParseError {
        let (line, column) = position(of: offset, in: bytes)
        return XMLParseError(reason: reason, line: line, column: column, offset: offset)
    }

    /// The 1-based line and column (in scalars) of a byte offset; CR LF, CR and LF end lines.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var position = 0
        let end = min(offset, bytes.count)
        while position < end {
            let byte = bytes[position]
            if byte == 0x0A || (byte == 0x0D && (position + 1 >= bytes.count || bytes[position + 1] != 0x0A)) {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80, byte != 0x0D {
                column += 1
            }
            position += 1
        }
        return (line, column)
    }
}
