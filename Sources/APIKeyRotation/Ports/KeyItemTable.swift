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
