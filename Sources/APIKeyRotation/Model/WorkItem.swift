/// One unit of work the sweep queues and `apikey-rotate` performs: rotate an item's key, or retire
/// the key it replaced once its grace period is over. The SQS message body is this, as JSON.
///
/// APIGateway-API-Key-Auto-Rotation's direct event (`{"APIGWKeyID", "usagePlanID", "itemID"}`) decodes as a rotation.
/// Holds key ids and plan ids, never a key value.
public struct WorkItem: Codable, Sendable, Equatable {
    public enum Action: String, Codable, Sendable {
        case rotate, retire
    }

    public var action: Action
    public var itemID: String
    /// For `rotate`: the key the item names now. For `retire`: the previous key to retire.
    public var keyID: String
    /// The item's usage plan (APIGateway-API-Key-Auto-Rotation's `usagePlanID`), for `rotate`.
    public var usagePlanID: String?
    /// What the sweep saw of the key in API Gateway; nil when the caller did not look (the rotator then does).
    public var snapshot: KeySnapshot?

    public init(action: Action, itemID: String, keyID: String, usagePlanID: String? = nil, snapshot: KeySnapshot? = nil) {
        self.action = action
        self.itemID = itemID
        self.keyID = keyID
        self.usagePlanID = usagePlanID
        self.snapshot = snapshot
    }

    enum CodingKeys: String, CodingKey {
        case action, itemID, keyID, usagePlanID, snapshot
        case seedKeyID = "APIGWKeyID"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        action = try c.decodeIfPresent(Action.self, forKey: .action) ?? .rotate
        itemID = try c.decode(String.self, forKey: .itemID)
        if let keyID = try c.decodeIfPresent(String.self, forKey: .keyID) {
            self.keyID = keyID
        } else {
            keyID = try c.decode(String.self, forKey: .seedKeyID)
        }
        usagePlanID = try c.decodeIfPresent(String.self, forKey: .usagePlanID)
        snapshot = try c.decodeIfPresent(KeySnapshot.self, forKey: .snapshot)
        guard !itemID.isEmpty else { throw DecodingError.dataCorruptedError(forKey: .itemID, in: c, debugDescription: "itemID must not be empty") }
        guard !keyID.isEmpty else { throw DecodingError.dataCorruptedError(forKey: .keyID, in: c, debugDescription: "the key id must not be empty") }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(action, forKey: .action)
        try c.encode(itemID, forKey: .itemID)
        try c.encode(keyID, forKey: .keyID)
        try c.encodeIfPresent(usagePlanID, forKey: .usagePlanID)
        try c.encodeIfPresent(snapshot, forKey: .snapshot)
    }
}
