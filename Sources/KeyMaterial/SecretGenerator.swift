/// Generates secret values: uniformly random characters from an alphabet that is valid in an
/// HTTP header value and in an API Gateway key, from the system CSPRNG (getrandom).
public struct SecretGenerator: Sendable {
    /// `A-Z a-z 0-9`: safe in headers, URLs, JSON and API Gateway key values.
    public static let alphanumeric = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    public let alphabet: [Character]

    public init(alphabet: [Character] = SecretGenerator.alphanumeric) {
        precondition(alphabet.count >= 2 && alphabet.count <= 256, "an alphabet has 2 to 256 characters")
        self.alphabet = alphabet
    }

    /// A value of `length` characters. Rejection sampling keeps every character equally likely.
    public func generate(length: Int) -> String {
        var rng = SystemRandomNumberGenerator()
        // The largest multiple of the alphabet size that fits in a byte: bytes at or above it are redrawn.
        let limit = alphabet.count == 256 ? 256 : (256 / alphabet.count) * alphabet.count
        var out = ""
        out.reserveCapacity(length)
        while out.count < length {
            let byte = Int(UInt8.random(in: 0...255, using: &rng))
            if byte < limit { out.append(alphabet[byte % alphabet.count]) }
        }
        return out
    }
}
