extension XMLParser {
    // MARK: Names and whitespace

    mutating func parseName(expected: String) throws(XMLParseError) -> String {
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
    mutating func skipWhitespace() -> String {
        let start = index
        while index < bytes.count, isWhitespace(bytes[index]) { index += 1 }
        return start == index ? "" : string(start..<index)
    }

    func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }

    func lookingAt(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return literal.withUTF8Buffer { buffer in
            for offset in 0..<count where bytes[index + offset] != buffer[offset] { return false }
            return true
        }
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    func normalizedLineEnds(_ text: String) -> String {
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
    func validateEncoding() throws(XMLParseError) {
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
    func scalar(at position: Int) -> (UInt32, Int) {
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

    func error(_ reason: XMLParseError.Reason) -> XMLParseError {
        XMLParseError.at(reason, offset: index, in: bytes)
    }

    func unexpected(at position: Int, expected: String) -> XMLParseError {
        guard position < bytes.count else {
            return XMLParseError.at(.unexpectedEndOfInput(expected: expected), offset: position, in: bytes)
        }
        return XMLParseError.at(
            .unexpectedCharacter(found: Self.describe(bytes, at: position), expected: expected),
            offset: position, in: bytes
        )
    }

    func position(of offset: Int) -> (line: Int, column: Int) {
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
