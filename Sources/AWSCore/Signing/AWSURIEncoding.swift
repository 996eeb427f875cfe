/// URI encoding as SigV4 specifies it: every byte except the unreserved characters
/// `A-Z a-z 0-9 - _ . ~` becomes `%XX` (upper-case hex) of its UTF-8 bytes.
package enum AWSURIEncoding {
    /// Encodes a query name or value, or a single path segment.
    package static func encode(_ text: String, keepingSlashes: Bool = false) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: "/") where keepingSlashes:
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A wire path built from raw segments: `["keys", "a b"]` -> `/keys/a%20b`.
    package static func path(_ segments: [String]) -> String {
        "/" + segments.map { encode($0) }.joined(separator: "/")
    }
}
