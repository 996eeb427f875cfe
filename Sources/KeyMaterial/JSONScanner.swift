/// A strict RFC 8259 JSON scanner over UTF-8 bytes that validates without building values, and
/// reports where each top-level member's value text starts and ends. Only member names and
/// top-level string values are decoded; everything else is checked and left as text.
struct JSONScanner {
    /// Deeper nesting is refused, so that no input can exhaust the stack.
    static let maximumDepth = 128

    struct TopLevelMember {
        var key: String
        var valueStart: Int
        var valueEnd: Int
        /// The decoded value when it is a string.
        var string: String?
    }

    private let bytes: [UInt8]
    private var index = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Scans the whole text as one object; returns its members and the offset of its closing brace.
    mutating func scanTopLevelObject() throws(SecretDocumentError) -> ([TopLevelMember], Int) {
        skipWhitespace()
        guard let first = peek() else { throw invalid("a JSON object") }
        guard first == UInt8(ascii: "{") else {
            let start = index
            try scanValue(depth: 0)
            skipWhitespace()
            guard index == bytes.count else { throw invalid("the end of the text") }
            throw SecretDocumentError(kind: .notAnObject, offset: start, expected: Self.kindName(first))
        }
        index += 1
        var members: [TopLevelMember] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            let closing = index
            index += 1
            try expectEnd()
            return (members, closing)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw invalid("a member name in double quotes") }
            let key = try scanString(decode: true) ?? ""
            skipWhitespace()
            try expect(":", "':' after a member name")
            skipWhitespace()
            let valueStart = index
            var string: String?
            if peek() == UInt8(ascii: "\"") {
                string = try scanString(decode: true)
            } else {
                try scanValue(depth: 1)
            }
            members.append(TopLevelMember(key: key, valueStart: valueStart, valueEnd: index, string: string))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "}"):
                let closing = index
                index += 1
                try expectEnd()
                return (members, closing)
            default:
                throw invalid("',' or '}'")
            }
        }
    }

    // MARK: Values

    private mutating func scanValue(depth: Int) throws(SecretDocumentError) {
        guard depth <= Self.maximumDepth else { throw SecretDocumentError(kind: .tooDeep, offset: index, expected: "") }
        guard let byte = peek() else { throw invalid("a value") }
        switch byte {
        case UInt8(ascii: "{"): try scanObject(depth: depth + 1)
        case UInt8(ascii: "["): try scanArray(depth: depth + 1)
        case UInt8(ascii: "\""): _ = try scanString(decode: false)
        case UInt8(ascii: "t"): try scanLiteral("true")
        case UInt8(ascii: "f"): try scanLiteral("false")
        case UInt8(ascii: "n"): try scanLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try scanNumber()
        default: throw invalid("a value")
        }
    }

    private mutating func scanObject(depth: Int) throws(SecretDocumentError) {
        guard depth <= Self.maximumDepth else { throw SecretDocumentError(kind: .tooDeep, offset: index, expected: "") }
        index += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { index += 1; return }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw invalid("a member name in double quotes") }
            _ = try scanString(decode: false)
            skipWhitespace()
            try expect(":", "':' after a member name")
            skipWhitespace()
            try scanValue(depth: depth)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return
            default: throw invalid("',' or '}'")
            }
        }
    }

    private mutating func scanArray(depth: Int) throws(SecretDocumentError) {
        guard depth <= Self.maximumDepth else { throw SecretDocumentError(kind: .tooDeep, offset: index, expected: "") }
        index += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { index += 1; return }
        while true {
            skipWhitespace()
            try scanValue(depth: depth)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return
            default: throw invalid("',' or ']'")
            }
        }
    }

    private mutating func scanLiteral(_ literal: StaticString) throws(SecretDocumentError) {
        let text = literal.withUTF8Buffer { Array($0) }
        guard index + text.count <= bytes.count, bytes[index..<index + text.count].elementsEqual(text) else {
            throw invalid("a value")
        }
        index += text.count
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func scanNumber() throws(SecretDocumentError) {
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), Self.isDigit(first) else { throw invalid("a digit") }
        index += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard let digit = peek(), Self.isDigit(digit) else { throw invalid("a digit after '.'") }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard let digit = peek(), Self.isDigit(digit) else { throw invalid("a digit in the exponent") }
            skipDigits()
        }
    }

    // MARK: Strings

    /// Scans a string starting at its opening quote; returns its decoded value when `decode` is set.
    /// A lone surrogate escape is valid JSON text; decoded, it becomes U+FFFD.
    private mutating func scanString(decode: Bool) throws(SecretDocumentError) -> String? {
        index += 1
        var decoded: [UInt8] = []
        var pendingHighSurrogate: UInt32?
        func flushSurrogate() {
            if pendingHighSurrogate != nil {
                decoded.append(contentsOf: Self.utf8(of: 0xFFFD))
                pendingHighSurrogate = nil
            }
        }
        while true {
            guard let byte = peek() else { throw invalid("'\"' to close the string") }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                if decode { flushSurrogate() }
                return decode ? String(decoding: decoded, as: UTF8.self) : nil
            case UInt8(ascii: "\\"):
                index += 1
                guard let escape = peek() else { throw invalid("an escape character") }
                index += 1
                let simple: UInt8?
                switch escape {
                case UInt8(ascii: "\""): simple = UInt8(ascii: "\"")
                case UInt8(ascii: "\\"): simple = UInt8(ascii: "\\")
                case UInt8(ascii: "/"): simple = UInt8(ascii: "/")
                case UInt8(ascii: "b"): simple = 0x08
                case UInt8(ascii: "f"): simple = 0x0C
                case UInt8(ascii: "n"): simple = 0x0A
                case UInt8(ascii: "r"): simple = 0x0D
                case UInt8(ascii: "t"): simple = 0x09
                case UInt8(ascii: "u"): simple = nil
                default:
                    index -= 1
                    throw invalid("one of \" \\ / b f n r t u after '\\'")
                }
                if let simple {
                    if decode { flushSurrogate(); decoded.append(simple) }
                    continue
                }
                let unit = try scanHex4()
                guard decode else { continue }
                switch unit {
                case 0xD800...0xDBFF:
                    flushSurrogate()
                    pendingHighSurrogate = unit
                case 0xDC00...0xDFFF:
                    if let high = pendingHighSurrogate {
                        decoded.append(contentsOf: Self.utf8(of: 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00)))
                        pendingHighSurrogate = nil
                    } else {
                        decoded.append(contentsOf: Self.utf8(of: 0xFFFD))
                    }
                default:
                    flushSurrogate()
                    decoded.append(contentsOf: Self.utf8(of: unit))
                }
            case 0x00..<0x20:
                throw invalid("no control character inside a string (escape it)")
            default:
                if decode { flushSurrogate(); decoded.append(byte) }
                index += 1
            }
        }
    }

    private mutating func scanHex4() throws(SecretDocumentError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek(), let digit = Self.hexValue(byte) else { throw invalid("four hex digits after '\\u'") }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// A Swift string as a JSON string literal: quotes, backslashes and control characters escaped;
    /// everything else as UTF-8.
    static func encode(_ string: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        let hex = Array("0123456789abcdef".utf8)
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x00..<0x20: out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }

    // MARK: Bytes

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private mutating func skipDigits() {
        while let byte = peek(), Self.isDigit(byte) { index += 1 }
    }

    private mutating func expect(_ character: Unicode.Scalar, _ expected: String) throws(SecretDocumentError) {
        guard peek() == UInt8(ascii: character) else { throw invalid(expected) }
        index += 1
    }

    private mutating func expectEnd() throws(SecretDocumentError) {
        skipWhitespace()
        guard index == bytes.count else { throw invalid("the end of the text") }
    }

    private func invalid(_ expected: String) -> SecretDocumentError {
        SecretDocumentError(kind: .invalidJSON, offset: index, expected: expected)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func kindName(_ first: UInt8) -> String {
        switch first {
        case UInt8(ascii: "["): return "array"
        case UInt8(ascii: "\""): return "string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "boolean"
        case UInt8(ascii: "n"): return "null"
        default: return "number"
        }
    }

    private static func utf8(of scalar: UInt32) -> [UInt8] {
        guard let scalar = Unicode.Scalar(scalar) else { return [0xEF, 0xBF, 0xBD] }
        return Array(String(Character(scalar)).utf8)
    }
}
