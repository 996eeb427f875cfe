/// What the rotation needs of API Gateway: keys, usage plans, and what a key has left of its quota.
/// The adapter over `APIGatewayClient` is ``APIGatewayKeyStore``; tests use an in-memory one.
///
/// Implementations report throttling as ``APIKeyStoreError/throttled(operation:)`` and the
/// account's key limit as ``APIKeyStoreError/keyLimitReached``.
public protocol APIKeyStore: Sendable {
    /// The key, or nil when API Gateway has no key with this id.
    func key(id: String) async throws -> StoredKey?
    /// Every key whose name starts with `namePrefix` (every key for nil), all pages, filtered on the client.
    func keys(namePrefix: String?) async throws -> [StoredKey]
    /// Creates an enabled key; the answer holds its value.
    func create(_ key: NewKey) async throws -> CreatedKey
    /// The key's value, or nil when the key does not exist.
    func value(ofKey id: String) async throws -> String?
    /// Deletes a key; false when there was no such key.
    func delete(keyID: String) async throws -> Bool
    /// Every usage plan.
    func plans() async throws -> [PlanInfo]
    /// The plans the key is attached to.
    func plans(ofKey id: String) async throws -> [PlanInfo]
    /// The ids of the keys attached to a plan, all pages.
    func keyIDs(inPlan planID: String) async throws -> [String]
    /// Attaches a key to a plan; a key already attached is not an error.
    func attach(keyID: String, toPlan planID: String) async throws
    /// Detaches a key from a plan; a key not attached is not an error.
    func detach(keyID: String, fromPlan planID: String) async throws
    /// What the key has left of the plan's quota on `day` (`yyyy-MM-dd`), nil when the service reports nothing.
    func remainingQuota(keyID: String, inPlan planID: String, day: String) async throws -> Int?
    /// Sets what the key has left of the plan's quota in the current period.
    func setRemainingQuota(_ remaining: Int, keyID: String, inPlan planID: String) async throws
}
