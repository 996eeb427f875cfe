/// What a sweep found and did; its log ends with these counts. Ids only, never a value.
public struct SweepReport: Sendable, Equatable, Encodable {
    public enum Mode: String, Sendable, Encodable {
        /// Queried the two indexes: read only the items with work.
        case index
        /// Scanned the whole table (APIGateway-API-Key-Auto-Rotation's table has no index).
        case scan
    }

    public var mode: Mode
    /// Items DynamoDB read.
    public var read = 0
    /// Items due for rotation (`updateTime` older than the interval).
    public var due = 0
    /// Items whose previous key's grace period is over.
    public var retiring = 0
    /// Messages the queue accepted (zero in a dry run).
    public var queued = 0
    /// Due items not queued because the account is at its key limit (they wait for the next sweep).
    public var waitingForHeadroom = 0
    /// Due items whose key API Gateway no longer has (`rotate --replace-missing-key` repairs them).
    public var missingKey = 0
    /// Due items whose previous key is still in its grace period.
    public var blocked = 0
    /// Items without the attributes a rotation needs (or of the wrong type).
    public var invalid = 0
    /// Work the queue refused (found again by the next sweep).
    public var failedToQueue = 0
    /// API keys in the account when the sweep started, and how many more the limit allows.
    public var keyCount = 0
    public var keyHeadroom = 0
    /// False when the sweep stopped before the Lambda deadline and saved where to continue.
    public var complete = true
    /// True when it continued where an earlier sweep stopped.
    public var resumed = false
    /// The work found, in order (filled in dry runs; empty otherwise, to keep the report small).
    public var work: [PlannedWork] = []

    public init(mode: Mode) { self.mode = mode }
}
