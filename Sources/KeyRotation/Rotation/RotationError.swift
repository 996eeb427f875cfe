/// Why a rotation step refused or failed: a stable code and a message that says what to fix.
/// Never carries a secret value.
public struct RotationError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidEvent = "InvalidEvent"
        case invalidConfiguration = "InvalidConfiguration"
        case rotationNotEnabled = "RotationNotEnabled"
        case unknownVersion = "UnknownVersion"
        case versionNotPending = "VersionNotPending"
        case invalidSecret = "InvalidSecret"
        case distributionNotReady = "DistributionNotReady"
        case headerMissing = "HeaderMissing"
        case updateConflict = "UpdateConflict"
        case originTestFailed = "OriginTestFailed"
        case notDeployedInTime = "NotDeployedInTime"
        case setSecretIncomplete = "SetSecretIncomplete"
        case verifiersNotReady = "VerifiersNotReady"
        case outOfTime = "OutOfTime"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
