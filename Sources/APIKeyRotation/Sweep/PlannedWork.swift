/// One unit of work a sweep found, for a dry run's listing.
public struct PlannedWork: Sendable, Equatable, Encodable {
    public enum Kind: String, Sendable, Encodable {
        case rotate, retire, waitingForHeadroom, missingKey, blocked, invalid
    }

    public var kind: Kind
    public var itemID: String
    public var keyID: String?
    /// `updateTime` (rotations) or the end of the grace period (retirements).
    public var since: String?

    public init(kind: Kind, itemID: String, keyID: String?, since: String?) {
        self.kind = kind
        self.itemID = itemID
        self.keyID = keyID
        self.since = since
    }
}
