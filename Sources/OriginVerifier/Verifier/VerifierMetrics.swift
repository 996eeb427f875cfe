import Synchronization

/// Counters of an `OriginVerifier`, read as plain values (e.g. to publish as metrics).
public struct VerifierMetrics: Sendable, Hashable {
    /// Verifications answered `allowed`.
    public var allowed: Int
    /// Verifications answered `denied`, for any reason.
    public var rejections: Int
    /// Successful key ring loads.
    public var refreshes: Int
    /// Key ring loads that failed (each is logged).
    public var refreshFailures: Int
    /// Loads started early because a value matched nothing.
    public var earlyRefreshes: Int
    /// Verifications answered from a ring past its TTL because refreshing it failed (stale-if-error).
    public var staleServes: Int
    /// `GetSecretValue` calls made (one per new version; a steady state makes none).
    public var secretValueReads: Int
    /// Requests that stopped waiting for a refresh at their deadline and were answered without it.
    public var abandonedWaits: Int
}

/// The live counters behind `VerifierMetrics`; lock-free so the hot path pays a few atomic adds.
final class MetricCounters: Sendable {
    let allowed = Atomic<Int>(0)
    let rejections = Atomic<Int>(0)
    let refreshes = Atomic<Int>(0)
    let refreshFailures = Atomic<Int>(0)
    let earlyRefreshes = Atomic<Int>(0)
    let staleServes = Atomic<Int>(0)
    let secretValueReads = Atomic<Int>(0)
    let abandonedWaits = Atomic<Int>(0)

    var snapshot: VerifierMetrics {
        VerifierMetrics(
            allowed: allowed.load(ordering: .relaxed), rejections: rejections.load(ordering: .relaxed),
            refreshes: refreshes.load(ordering: .relaxed), refreshFailures: refreshFailures.load(ordering: .relaxed),
            earlyRefreshes: earlyRefreshes.load(ordering: .relaxed), staleServes: staleServes.load(ordering: .relaxed),
            secretValueReads: secretValueReads.load(ordering: .relaxed), abandonedWaits: abandonedWaits.load(ordering: .relaxed)
        )
    }
}

extension Atomic<Int> {
    func increment() {
        wrappingAdd(1, ordering: .relaxed)
    }
}
