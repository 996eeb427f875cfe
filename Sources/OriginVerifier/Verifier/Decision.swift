public import AWSServices

/// The answer to "is this header value valid now?". Never carries the value itself.
public enum Decision: Sendable, Hashable, CustomStringConvertible {
    /// The value matches the version under this stage.
    case allowed(StagingLabel)
    /// The value is not accepted.
    case denied(DenialReason)

    /// Why a value was not accepted.
    public enum DenialReason: String, Sendable, Hashable {
        /// No header, or an empty one.
        case missingHeader
        /// The value matches no version accepted now.
        case unknownValue
        /// No key ring could be loaded (Secrets Manager unreachable, or the secret unusable) and no
        /// recent one is cached: everything is denied.
        case noKeyRing
    }

    public var isAllowed: Bool {
        if case .allowed = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .allowed(let stage): "allowed (\(stage.rawValue))"
        case .denied(let reason): "denied (\(reason.rawValue))"
        }
    }
}
