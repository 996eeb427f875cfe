public import APIKeyRotation
import Foundation
import Synchronization

/// An in-memory ``APIKeyStore`` with API Gateway's semantics (attaching twice is a no-op, a deleted
/// key leaves its plans, a create past the key limit fails), fault hooks that fail a call before or
/// after it takes effect, and an optional throttle at API Gateway's account rates.
public final class InMemoryAPIGateway: APIKeyStore, Sendable {
    public struct Key: Sendable, Equatable {
        public var stored: StoredKey
        public var value: String
    }

    /// Where a fault strikes: before the call changes anything, or after (the answer is lost).
    public enum FaultPoint: Sendable { case before, after }

    /// A crash or lost answer injected into a call.
    public struct InjectedFault: Error, Sendable, CustomStringConvertible {
        public var operation: String
        public var point: FaultPoint
        public var description: String { "injected fault \(point) \(operation)" }
    }

    private struct State {
        var keys: [String: Key] = [:]
        var plans: [String: PlanInfo] = [:]
        var attachments: [String: [String]] = [:]
        var remaining: [String: Int] = [:]
        var nextID = 1
        var calls: [String] = []
        var faults: [(operation: String, point: FaultPoint, callNumber: Int)] = []
        var createTimes: [ContinuousClock.Instant] = []
    }

    private let state = Mutex(State())
    private let throttle: APIGatewayThrottle?
    /// The account's key limit (a create past it fails with `keyLimitReached`).
    public let keyLimit: Int
    /// Simulated latency of each call.
    public let latency: Duration

    public init(throttle: APIGatewayThrottle? = nil, keyLimit: Int = 10_000, latency: Duration = .zero) {
        self.throttle = throttle
        self.keyLimit = keyLimit
        self.latency = latency
    }

    // MARK: Set-up and inspection

    @discardableResult
    public func addPlan(_ id: String? = nil, hasQuota: Bool = false) -> String {
        state.withLock { s in
            let planID = id ?? "plan\(s.nextID)"
            s.nextID += 1
            s.plans[planID] = PlanInfo(id: planID, hasQuota: hasQuota)
            s.attachments[planID] = s.attachments[planID] ?? []
            return planID
        }
    }

    /// Adds a key (as a client's existing key) and attaches it to `plans`.
    @discardableResult
    public func addKey(name: String = "client", customerId: String? = nil, plans: [String] = []) -> String {
        state.withLock { s in
            let id = Self.makeID(&s)
            s.keys[id] = Key(stored: StoredKey(id: id, name: name, customerId: customerId, createdDate: Date()), value: Self.makeValue())
            for plan in plans { s.attachments[plan, default: []].append(id) }
            return id
        }
    }

    public var allKeys: [Key] { state.withLock { Array($0.keys.values).sorted { $0.stored.id < $1.stored.id } } }
    public func plansOf(_ keyID: String) -> [String] { state.withLock { s in s.attachments.filter { $0.value.contains(keyID) }.map(\.key).sorted() } }
    public func hasKey(_ id: String) -> Bool { state.withLock { $0.keys[id] != nil } }
    public func valueOf(_ id: String) -> String? { state.withLock { $0.keys[id]?.value } }
    /// Every call so far, by operation name.
    public var calls: [String] { state.withLock { $0.calls } }
    public func callCount(_ operation: String) -> Int { calls.filter { $0 == operation }.count }
    /// When each CreateApiKey succeeded.
    public var createTimes: [ContinuousClock.Instant] { state.withLock { $0.createTimes } }
    public func setRemaining(_ remaining: Int, keyID: String, planID: String) { state.withLock { $0.remaining["\(planID)/\(keyID)"] = remaining } }
    public func remaining(keyID: String, planID: String) -> Int? { state.withLock { $0.remaining["\(planID)/\(keyID)"] } }

    /// Makes the `callNumber`-th call (counting from 1) of `operation` fail at `point`.
    public func injectFault(_ operation: String, at point: FaultPoint, callNumber: Int = 1) {
        state.withLock { $0.faults.append((operation, point, callNumber)) }
    }

    // MARK: APIKeyStore

    private func call<T: Sendable>(_ operation: String, keyWrite: Bool = false, _ body: (inout State) throws -> T) async throws -> T {
        if latency > .zero { try await Task.sleep(for: latency) }
        if let throttle, !throttle.admit(keyWrite: keyWrite) { throw APIKeyStoreError.throttled(operation: operation) }
        let fault: FaultPoint? = state.withLock { s in
            s.calls.append(operation)
            let number = s.calls.filter { $0 == operation }.count
            guard let index = s.faults.firstIndex(where: { $0.operation == operation && $0.callNumber == number }) else { return nil }
            return s.faults.remove(at: index).point
        }
        if fault == .before { throw InjectedFault(operation: operation, point: .before) }
        let result = try state.withLock { try body(&$0) }
        if fault == .after { throw InjectedFault(operation: operation, point: .after) }
        return result
    }

    public func key(id: String) async throws -> StoredKey? { try await call("GetApiKey") { $0.keys[id]?.stored } }

    public func keys(namePrefix: String?) async throws -> [StoredKey] {
        try await call("GetApiKeys") { s in
            s.keys.values.map(\.stored).filter { key in namePrefix.map { key.name?.hasPrefix($0) ?? false } ?? true }.sorted { $0.id < $1.id }
        }
    }

    public func create(_ key: NewKey) async throws -> CreatedKey {
        try await call("CreateApiKey", keyWrite: true) { s in
            guard s.keys.count < keyLimit else { throw APIKeyStoreError.keyLimitReached }
            let id = Self.makeID(&s)
            let stored = StoredKey(id: id, name: key.name, customerId: key.customerId, createdDate: Date(), tags: key.tags)
            let value = Self.makeValue()
            s.keys[id] = Key(stored: stored, value: value)
            s.createTimes.append(.now)
            return CreatedKey(key: stored, value: value)
        }
    }

    public func value(ofKey id: String) async throws -> String? { try await call("GetApiKey") { $0.keys[id]?.value } }

    public func delete(keyID: String) async throws -> Bool {
        try await call("DeleteApiKey", keyWrite: true) { s in
            for plan in s.attachments.keys { s.attachments[plan]?.removeAll { $0 == keyID } }
            return s.keys.removeValue(forKey: keyID) != nil
        }
    }

    public func plans() async throws -> [PlanInfo] { try await call("GetUsagePlans") { Array($0.plans.values).sorted { $0.id < $1.id } } }

    public func plans(ofKey id: String) async throws -> [PlanInfo] {
        try await call("GetUsagePlans") { s in s.attachments.filter { $0.value.contains(id) }.compactMap { s.plans[$0.key] }.sorted { $0.id < $1.id } }
    }

    public func keyIDs(inPlan planID: String) async throws -> [String] { try await call("GetUsagePlanKeys") { $0.attachments[planID] ?? [] } }

    public func attach(keyID: String, toPlan planID: String) async throws {
        try await call("CreateUsagePlanKey") { s in
            guard s.plans[planID] != nil else { throw APIKeyStoreError.planNotFound(planID) }
            if !(s.attachments[planID] ?? []).contains(keyID) { s.attachments[planID, default: []].append(keyID) }
        }
    }

    public func detach(keyID: String, fromPlan planID: String) async throws {
        try await call("DeleteUsagePlanKey") { s in s.attachments[planID]?.removeAll { $0 == keyID } }
    }

    public func remainingQuota(keyID: String, inPlan planID: String, day: String) async throws -> Int? {
        try await call("GetUsage") { $0.remaining["\(planID)/\(keyID)"] }
    }

    public func setRemainingQuota(_ remaining: Int, keyID: String, inPlan planID: String) async throws {
        try await call("UpdateUsage") { $0.remaining["\(planID)/\(keyID)"] = remaining }
    }

    private static func makeID(_ s: inout State) -> String {
        defer { s.nextID += 1 }
        return "k" + String(format: "%09d", s.nextID)
    }

    private static func makeValue() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        let value = String((0..<40).map { _ in alphabet.randomElement() ?? "A" })
        TestOutputArchive.recordGeneratedValues([value], kind: "in-memory-api-gateway")
        return value
    }
}

/// API Gateway's account-level throttle as a stand-in: CreateApiKey and DeleteApiKey each share
/// `keyWriteRate` (5/s, burst 5), and every call shares `callRate` (10/s, burst 40).
public final class APIGatewayThrottle: Sendable {
    private struct Bucket {
        var tokens: Double
        let rate: Double, burst: Double
        var updated: ContinuousClock.Instant
        mutating func refill(_ now: ContinuousClock.Instant) {
            let elapsed = now - updated
            tokens = min(burst, tokens + (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) * rate)
            updated = now
        }
    }
    private let buckets: Mutex<(calls: Bucket, keyWrites: Bucket, throttled: Int)>

    public init(callRate: Double = 10, callBurst: Double = 40, keyWriteRate: Double = 5, keyWriteBurst: Double = 5) {
        let now = ContinuousClock.now
        buckets = Mutex((Bucket(tokens: callBurst, rate: callRate, burst: callBurst, updated: now),
                         Bucket(tokens: keyWriteBurst, rate: keyWriteRate, burst: keyWriteBurst, updated: now), 0))
    }

    /// Whether a call may go now (taking its tokens), or is throttled.
    public func admit(keyWrite: Bool) -> Bool {
        buckets.withLock { b in
            let now = ContinuousClock.now
            b.calls.refill(now)
            b.keyWrites.refill(now)
            guard b.calls.tokens >= 1, !keyWrite || b.keyWrites.tokens >= 1 else {
                b.throttled += 1
                return false
            }
            b.calls.tokens -= 1
            if keyWrite { b.keyWrites.tokens -= 1 }
            return true
        }
    }

    /// How many calls were throttled.
    public var throttledCount: Int { buckets.withLock { $0.throttled } }
}
