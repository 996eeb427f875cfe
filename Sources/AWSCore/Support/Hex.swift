import Crypto

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal digits of the bytes.
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A short, non-reversible fingerprint of a secret value: the first 8 hex digits of its SHA-256.
/// The only form in which KeyRotator ever shows a secret or key value.
public func fingerprint(_ value: String) -> String {
    String(SHA256.hash(data: Array(value.utf8)).hexString.prefix(8))
}
