import Crypto

/// A short, non-reversible fingerprint of a secret or key value: the first 8 hex digits of its
/// SHA-256. The only form in which KeyRotator ever shows such a value (as `sha256:<fingerprint>`).
public func fingerprint(_ value: String) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(8)
    for byte in SHA256.hash(data: Array(value.utf8)).prefix(4) {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
}
