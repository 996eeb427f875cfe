/// A rotation to record on an item.
public struct RecordedRotation: Sendable, Equatable {
    public var itemID: String
    public var oldKeyID: String
    public var newKeyID: String
    /// The new `updateTime`.
    public var updateTime: String
    /// When the old key may be retired.
    public var retireAt: String
    /// Written to `APIKeyValue` only with `STORE_KEY_VALUE=true`; otherwise the attribute is removed.
    public var storedValue: String?
    /// Also forget a previous key (only when replacing a key that no longer exists).
    public var clearsPreviousKey: Bool

    public init(itemID: String, oldKeyID: String, newKeyID: String, updateTime: String, retireAt: String, storedValue: String?, clearsPreviousKey: Bool = false) {
        self.itemID = itemID
        self.oldKeyID = oldKeyID
        self.newKeyID = newKeyID
        self.updateTime = updateTime
        self.retireAt = retireAt
        self.storedValue = storedValue
        self.clearsPreviousKey = clearsPreviousKey
    }
}
