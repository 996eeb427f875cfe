/// A key just created, with its value. `description` shows a fingerprint, never the value.
public struct CreatedKey: Sendable, CustomStringConvertible {
    public var key: StoredKey
    public var value: String

    public init(key: StoredKey, value: String) {
        self.key = key
        self.value = value
    }

    public var description: String { "CreatedKey(id: \(key.id), value: sha256:\(KeyNaming.itemHash(value)))" }
}
