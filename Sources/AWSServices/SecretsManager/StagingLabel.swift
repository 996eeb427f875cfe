/// A Secrets Manager staging label. Rotation uses the three named ones; any other (a custom label)
/// is carried through as it is.
public struct StagingLabel: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String

    /// `AWSCURRENT`: the version clients read by default.
    public static let current: StagingLabel = "AWSCURRENT"
    /// `AWSPENDING`: the version a rotation is creating, before it becomes current.
    public static let pending: StagingLabel = "AWSPENDING"
    /// `AWSPREVIOUS`: the version that was current before the last rotation finished.
    public static let previous: StagingLabel = "AWSPREVIOUS"

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        self.init(rawValue: value)
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
}
