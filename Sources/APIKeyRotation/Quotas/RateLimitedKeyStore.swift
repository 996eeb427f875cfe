public import Logging
import Synchronization

/// An ``APIKeyStore`` that keeps to API Gateway's rates: every call takes a token of the call
/// budget, CreateApiKey and DeleteApiKey one of the key-write budget too, and a throttled call
/// backs off (pausing every caller of this process) and tries again.
public struct RateLimitedKeyStore: APIKeyStore {
    public let base: any APIKeyStore
    public let calls: RateLimiter
    public let keyWrites: RateLimiter
    public let backoff: ThrottlingBackoff
    private let counters: QuotaCounters
    private let metrics: APIKeyMetrics
    private let logger: Logger

    public init(_ base: any APIKeyStore, rates: RateConfiguration, backoff: ThrottlingBackoff = ThrottlingBackoff(),
                metrics: APIKeyMetrics = APIKeyMetrics(), logger: Logger) {
        self.init(base, calls: RateLimiter(ratePerSecond: rates.callsPerSecondPerFunction),
                  keyWrites: RateLimiter(ratePerSecond: rates.keyWritesPerSecondPerFunction), backoff: backoff, metrics: metrics, logger: logger)
    }

    public init(_ base: any APIKeyStore, calls: RateLimiter, keyWrites: RateLimiter, backoff: ThrottlingBackoff = ThrottlingBackoff(),
                metrics: APIKeyMetrics = APIKeyMetrics(), logger: Logger) {
        self.metrics = metrics
        self.base = base
        self.calls = calls
        self.keyWrites = keyWrites
        self.backoff = backoff
        self.counters = QuotaCounters()
        self.logger = logger
    }

    /// How many calls were throttled so far (for the sweep's and the rotation's counts).
    public var throttledCalls: Int { counters.throttled.load(ordering: .relaxed) }

    private func limited<T: Sendable>(_ operation: String, keyWrite: Bool = false, _ body: () async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            if keyWrite { try await keyWrites.acquire() }
            try await calls.acquire()
            do {
                return try await body()
            } catch APIKeyStoreError.throttled(let name) {
                counters.throttled.add(1, ordering: .relaxed)
                metrics.throttled()
                guard attempt < backoff.maxAttempts else {
                    throw APIKeyRotationError(.throttled, "API Gateway kept throttling \(name) after \(attempt) attempts: lower APIGATEWAY_CALL_RATE / APIGATEWAY_KEY_RATE or the queue's maximum concurrency (MAX_CONCURRENCY), or look for other callers in the account.")
                }
                let delay = backoff.delay(after: attempt)
                calls.pause(for: delay)
                if keyWrite { keyWrites.pause(for: delay) }
                logger.notice("api gateway throttled: backing off", metadata: ["operation": "\(operation)", "attempt": "\(attempt)", "delay": "\(delay)"])
                try await Task.sleep(for: delay)
                attempt += 1
            }
        }
    }

    public func key(id: String) async throws -> StoredKey? { try await limited("GetApiKey") { try await base.key(id: id) } }
    public func keys(namePrefix: String?) async throws -> [StoredKey] { try await limited("GetApiKeys") { try await base.keys(namePrefix: namePrefix) } }
    public func create(_ key: NewKey) async throws -> CreatedKey { try await limited("CreateApiKey", keyWrite: true) { try await base.create(key) } }
    public func value(ofKey id: String) async throws -> String? { try await limited("GetApiKey") { try await base.value(ofKey: id) } }
    public func delete(keyID: String) async throws -> Bool { try await limited("DeleteApiKey", keyWrite: true) { try await base.delete(keyID: keyID) } }
    public func plans() async throws -> [PlanInfo] { try await limited("GetUsagePlans") { try await base.plans() } }
    public func plans(ofKey id: String) async throws -> [PlanInfo] { try await limited("GetUsagePlans") { try await base.plans(ofKey: id) } }
    public func keyIDs(inPlan planID: String) async throws -> [String] { try await limited("GetUsagePlanKeys") { try await base.keyIDs(inPlan: planID) } }
    public func attach(keyID: String, toPlan planID: String) async throws { try await limited("CreateUsagePlanKey") { try await base.attach(keyID: keyID, toPlan: planID) } }
    public func detach(keyID: String, fromPlan planID: String) async throws { try await limited("DeleteUsagePlanKey") { try await base.detach(keyID: keyID, fromPlan: planID) } }
    public func remainingQuota(keyID: String, inPlan planID: String, day: String) async throws -> Int? {
        try await limited("GetUsage") { try await base.remainingQuota(keyID: keyID, inPlan: planID, day: day) }
    }
    public func setRemainingQuota(_ remaining: Int, keyID: String, inPlan planID: String) async throws {
        try await limited("UpdateUsage") { try await base.setRemainingQuota(remaining, keyID: keyID, inPlan: planID) }
    }
}

private final class QuotaCounters: Sendable {
    let throttled = Atomic<Int>(0)
}
