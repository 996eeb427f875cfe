/// What the rotation needs of the DynamoDB table that tracks the keys. The adapter is
/// ``DynamoDBKeyItemTable``. Writes are conditional: each says whether its condition held.
public protocol KeyItemTable: Sendable {
    /// The item, read consistently; nil when the table has none with this id.
    func item(id: String) async throws -> KeyItem?
    /// Whether the table has the indexes that let a sweep read only the items with work.
    func layout() async throws -> TableLayout
    /// A page of the items of `planID` whose `updateTime` is before `before` (index path).
    func itemsDueForRotation(planID: String, before: String, start: String?) async throws -> ItemPage
    /// A page of the items of `planID` whose previous key's grace ends at or before `notAfter` (index path).
    func itemsDueForRetirement(planID: String, notAfter: String, start: String?) async throws -> ItemPage
    /// A page of every item (the fallback for a table without the indexes).
    func scan(start: String?) async throws -> ItemPage
    /// Notes that a rotation from `keyID` has begun, if the item still names it and none is under way.
    func markRotationStarted(itemID: String, fromKeyID keyID: String) async throws -> Bool
    /// Makes the item name `newKeyID` and keep `oldKeyID` as its previous key, if it still names `oldKeyID`.
    func recordRotation(_ rotation: RecordedRotation) async throws -> Bool
    /// Forgets the previous key, if the item still names it as such.
    func clearPreviousKey(itemID: String, previousKeyID: String) async throws -> Bool
    /// Where an unfinished sweep stopped, if one did.
    func sweepCheckpoint() async throws -> String?
    /// Saves where the sweep stopped (nil removes it: the last sweep finished).
    func saveSweepCheckpoint(_ cursor: String?) async throws
}

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

/// One page of items with how many DynamoDB read to produce it.
public struct ItemPage: Sendable {
    public var items: [KeyItem]
    /// Items DynamoDB read (a Scan's filter drops items after reading them).
    public var readCount: Int
    public var next: String?

    public init(items: [KeyItem], readCount: Int, next: String?) {
        self.items = items
        self.readCount = readCount
        self.next = next
    }
}

/// How the sweep can read the table.
public enum TableLayout: Sendable, Equatable {
    /// Both indexes exist: query only the items with work.
    case indexed
    /// Seed 002's table: scan it all. `missingIndexes` names what to add.
    case scanOnly(missingIndexes: [String])
}
