extension XMLParser {
    // MARK: References

    /// Decodes entity and character references in `range`, normalizing line ends (and, in
    /// attribute values, whitespace characters to spaces) as XML 1.0 requires.
    func decode(_ range: Range<Int>, attribute: Bool) throws(XMLParseError) -> String {
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
    func decodeReference(at start: Int, limit: Int, into out: inout [UInt8]) throws(XMLParseError) -> Int {
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
    static func characterReference(_ body: [UInt8]) -> Unicode.Scalar? {
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
}
