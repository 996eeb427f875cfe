#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

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

/// A key as API Gateway holds it (never its value).
public struct StoredKey: Sendable, Equatable {
    public var id: String
    public var name: String?
    public var customerId: String?
    public var enabled: Bool
    public var createdDate: Date?
    public var tags: [String: String]

    public init(id: String, name: String?, customerId: String? = nil, enabled: Bool = true, createdDate: Date? = nil, tags: [String: String] = [:]) {
        self.id = id
        self.name = name
        self.customerId = customerId
        self.enabled = enabled
        self.createdDate = createdDate
        self.tags = tags
    }
}

/// The key to create.
public struct NewKey: Sendable, Equatable {
    public var name: String
    public var description: String
    public var customerId: String?
    public var tags: [String: String]

    public init(name: String, description: String, customerId: String?, tags: [String: String]) {
        self.name = name
        self.description = description
        self.customerId = customerId
        self.tags = tags
    }
}

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

/// A usage plan: its id, and whether it has a quota (whose usage a rotation carries over).
public struct PlanInfo: Sendable, Equatable, Hashable {
    public var id: String
    public var hasQuota: Bool

    public init(id: String, hasQuota: Bool = false) {
        self.id = id
        self.hasQuota = hasQuota
    }
}

/// Failures of a key store the rotation reacts to.
public enum APIKeyStoreError: Error, Sendable, Equatable {
    /// API Gateway refused the call for its rate (`TooManyRequestsException`).
    case throttled(operation: String)
    /// The account holds as many keys as API Gateway allows in the Region.
    case keyLimitReached
    /// The usage plan does not exist.
    case planNotFound(String)
}
