/// One item of the key table: APIGateway-API-Key-Auto-Rotation's attributes, with their meaning kept, plus the rotation's own.
///
/// Seed attributes: `itemID` (partition key), `APIGWKeyID` (the key clients use), `usagePlanID`,
/// `updateTime` (when the key last changed, as JavaScript's `toISOString()` writes it) and
/// `APIKeyValue` (written only with `STORE_KEY_VALUE=true`). Ours: `previousAPIGWKeyID` and
/// `previousKeyRetireAt` while the old key is in its grace period, and `rotatingFromKeyID`
/// while a rotation is under way (so that a retry looks for the key it may have created).
public struct KeyItem: Sendable, Equatable {
    /// The attribute names, shared by the table adapter, the index definitions and the CLI.
    public enum Attribute {
        public static let itemID = "itemID"
        public static let keyID = "APIGWKeyID"
        public static let usagePlanID = "usagePlanID"
        public static let updateTime = "updateTime"
        public static let keyValue = "APIKeyValue"
        public static let previousKeyID = "previousAPIGWKeyID"
        public static let previousKeyRetireAt = "previousKeyRetireAt"
        public static let rotatingFromKeyID = "rotatingFromKeyID"
    }

    /// The one item that is not a key: where an unfinished sweep stopped. It has no key or plan
    /// attribute, so it is in neither index and every reader skips it.
    public static let sweepCheckpointItemID = "keyrotator:sweep-checkpoint"

    public var itemID: String
    /// The key clients use now (`APIGWKeyID`); nil when the item has none (or not as a string).
    public var keyID: String?
    public var usagePlanID: String?
    /// `updateTime` as stored; nil when absent or not a string.
    public var updateTime: String?
    /// Whether the item holds `APIKeyValue` (never the value itself).
    public var hasStoredValue: Bool
    /// The replaced key, still valid until `previousKeyRetireAt`.
    public var previousKeyID: String?
    public var previousKeyRetireAt: String?
    /// Set while a rotation from this key is under way.
    public var rotatingFromKeyID: String?

    public init(itemID: String, keyID: String?, usagePlanID: String?, updateTime: String?, hasStoredValue: Bool = false,
                previousKeyID: String? = nil, previousKeyRetireAt: String? = nil, rotatingFromKeyID: String? = nil) {
        self.itemID = itemID
        self.keyID = keyID
        self.usagePlanID = usagePlanID
        self.updateTime = updateTime
        self.hasStoredValue = hasStoredValue
        self.previousKeyID = previousKeyID
        self.previousKeyRetireAt = previousKeyRetireAt
        self.rotatingFromKeyID = rotatingFromKeyID
    }
}
