/// Why a sweep, a rotation or a retirement refused or failed: a stable code and a message that
/// says what to fix. Never carries a key value.
public struct APIKeyRotationError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidEvent = "InvalidEvent"
        case invalidConfiguration = "InvalidConfiguration"
        /// The table has no item with the event's itemID.
        case unknownItem = "UnknownItem"
        /// The event names a key the item does not name.
        case keyMismatch = "KeyMismatch"
        /// The item names a key API Gateway no longer has.
        case keyMissing = "KeyMissing"
        /// The item lacks an attribute the rotation needs, or holds one of the wrong type.
        case invalidItem = "InvalidItem"
        /// The item's previous key is still in its grace period: one rotation at a time.
        case graceInProgress = "GraceInProgress"
        /// A retirement was asked for before the grace period ended.
        case graceNotOver = "GraceNotOver"
        /// The item changed under the rotation in a way it cannot reconcile.
        case updateConflict = "UpdateConflict"
        /// The account holds API Gateway's maximum number of keys.
        case keyLimitReached = "KeyLimitReached"
        /// API Gateway kept throttling after every backoff.
        case throttled = "Throttled"
        /// A usage plan the key should be in does not exist.
        case planNotFound = "PlanNotFound"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
