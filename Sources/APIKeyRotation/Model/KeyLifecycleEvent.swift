/// A rotation or a retirement, as published.
public struct KeyLifecycleEvent: Sendable, Equatable, Encodable {
    public enum Kind: String, Sendable, Encodable {
        case rotated = "API Key Rotated"
        case retired = "API Key Retired"
    }

    public var kind: Kind
    public var itemID: String
    /// The key the item names now.
    public var keyID: String
    /// The rotated-from key (rotated), or the key just deleted (retired).
    public var previousKeyID: String
    /// Until when the previous key keeps working (rotated only).
    public var graceEndsAt: String?
    public var usagePlanIDs: [String]

    public init(kind: Kind, itemID: String, keyID: String, previousKeyID: String, graceEndsAt: String?, usagePlanIDs: [String]) {
        self.kind = kind
        self.itemID = itemID
        self.keyID = keyID
        self.previousKeyID = previousKeyID
        self.graceEndsAt = graceEndsAt
        self.usagePlanIDs = usagePlanIDs
    }

    enum CodingKeys: String, CodingKey { case itemID, keyID = "APIGWKeyID", previousKeyID = "previousAPIGWKeyID", graceEndsAt, usagePlanIDs }
}
