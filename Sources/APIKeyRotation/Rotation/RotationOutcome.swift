/// What one rotation or retirement did. Ids and times only, never a key value.
public struct RotationOutcome: Sendable, Equatable, Encodable {
    public enum Result: String, Sendable, Encodable {
        /// A new key was created, attached and recorded.
        case rotated
        /// The item already names the key a rotation from this key made (a redelivery).
        case alreadyRotated
        /// The previous key was detached and deleted, and the item forgets it.
        case retired
        /// The previous key is already gone (a redelivery).
        case alreadyRetired
    }

    public var result: Result
    public var itemID: String
    /// The key the item names afterwards.
    public var keyID: String
    /// The rotated-from key (rotations), or the retired key (retirements).
    public var previousKeyID: String
    /// Until when the previous key keeps working (rotations).
    public var graceEndsAt: String?
    /// The plans the new key was attached to, or the old key detached from.
    public var usagePlanIDs: [String]

    public init(result: Result, itemID: String, keyID: String, previousKeyID: String, graceEndsAt: String? = nil, usagePlanIDs: [String] = []) {
        self.result = result
        self.itemID = itemID
        self.keyID = keyID
        self.previousKeyID = previousKeyID
        self.graceEndsAt = graceEndsAt
        self.usagePlanIDs = usagePlanIDs
    }

    enum CodingKeys: String, CodingKey {
        case result = "outcome", itemID, keyID = "APIGWKeyID", previousKeyID = "previousAPIGWKeyID", graceEndsAt = "previousKeyRetireAt", usagePlanIDs
    }
}
