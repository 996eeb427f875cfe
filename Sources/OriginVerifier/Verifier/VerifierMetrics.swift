public import AWSServices
import CoreMetrics
import Synchronization

/// Counters of an `OriginVerifier`, read as plain values. The same counts are reported through
/// swift-metrics (see `VerifierMetrics.Name`) to whatever backend the host installed: EMF in the
/// `origin-authorizer` Lambda, the host's own in a Swift origin.
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

    /// The swift-metrics labels the verifier reports under. Dimensions: `Stage` (`AWSCURRENT`,
    /// `AWSPENDING`, `AWSPREVIOUS`) on allowed, `Reason` on denied; never a value or a fingerprint.
    public enum Name {
        public static let allowed = "VerifierAllowed"
        public static let denied = "VerifierDenied"
        public static let refreshes = "VerifierRefreshes"
        public static let refreshFailures = "VerifierRefreshFailures"
        public static let earlyRefreshes = "VerifierEarlyRefreshes"
        public static let staleServes = "VerifierStaleServes"
        public static let secretValueReads = "VerifierSecretValueReads"
        public static let abandonedWaits = "VerifierAbandonedWaits"
    }
}

/// The live counters behind `VerifierMetrics`: lock-free atomics for the snapshot, and swift-metrics
/// counters created once, so that the hot path pays a few atomic adds, one uncontended lock and no
/// allocation. Without an explicit factory the swift-metrics counters are made from
/// `MetricsSystem.factory` at the first count, not when the verifier is created: a host that
/// creates its verifier before it calls `MetricsSystem.bootstrap` still reports to its backend, as
/// long as it bootstraps before the first request.
final class VerifierCounters: Sendable {
    private let allowedCount = Atomic<Int>(0)
    private let rejectionCount = Atomic<Int>(0)
    private let refreshCount = Atomic<Int>(0)
    private let refreshFailureCount = Atomic<Int>(0)
    private let earlyRefreshCount = Atomic<Int>(0)
    private let staleServeCount = Atomic<Int>(0)
    private let secretValueReadCount = Atomic<Int>(0)
    private let abandonedWaitCount = Atomic<Int>(0)

    /// The swift-metrics counters, made from the given factory at once, or from the bootstrapped one at the first count.
    private let bound: Mutex<Handles?>

    /// One swift-metrics counter per label and dimension set.
    final class Handles: Sendable {
        let allowedByStage: [StagingLabel: Counter]
        let deniedByReason: [Decision.DenialReason: Counter]
        let refreshes, refreshFailures, earlyRefreshes, staleServes, secretValueReads, abandonedWaits: Counter

        init(factory: any MetricsFactory) {
            func counter(_ label: String, _ dimensions: [(String, String)] = []) -> Counter {
                Counter(label: label, dimensions: dimensions, factory: factory)
            }
            allowedByStage = Dictionary(uniqueKeysWithValues: [StagingLabel.current, .pending, .previous].map {
                ($0, counter(VerifierMetrics.Name.allowed, [("Stage", $0.rawValue)]))
            })
            deniedByReason = Dictionary(uniqueKeysWithValues: [Decision.DenialReason.missingHeader, .unknownValue, .noKeyRing].map {
                ($0, counter(VerifierMetrics.Name.denied, [("Reason", $0.rawValue)]))
            })
            refreshes = counter(VerifierMetrics.Name.refreshes)
            refreshFailures = counter(VerifierMetrics.Name.refreshFailures)
            earlyRefreshes = counter(VerifierMetrics.Name.earlyRefreshes)
            staleServes = counter(VerifierMetrics.Name.staleServes)
            secretValueReads = counter(VerifierMetrics.Name.secretValueReads)
            abandonedWaits = counter(VerifierMetrics.Name.abandonedWaits)
        }
    }

    /// With `factory` nil, the counters go to the factory bootstrapped when the first count is made.
    init(factory: (any MetricsFactory)?) {
        bound = Mutex(factory.map(Handles.init(factory:)))
    }

    private var handles: Handles {
        bound.withLock { handles in
            if let handles { return handles }
            let made = Handles(factory: MetricsSystem.factory)
            handles = made
            return made
        }
    }

    func allowed(_ stage: StagingLabel, stale: Bool) {
        allowedCount.add(1)
        let handles = self.handles
        handles.allowedByStage[stage]?.increment()
        if stale {
            staleServeCount.add(1)
            handles.staleServes.increment()
        }
    }

    func denied(_ reason: Decision.DenialReason) {
        rejectionCount.add(1)
        handles.deniedByReason[reason]?.increment()
    }

    func refreshed(valueReads: Int) {
        refreshCount.add(1)
        let handles = self.handles
        handles.refreshes.increment()
        secretValueReadCount.add(valueReads)
        if valueReads > 0 { handles.secretValueReads.increment(by: valueReads) }
    }

    func refreshFailed() {
        refreshFailureCount.add(1)
        handles.refreshFailures.increment()
    }

    func earlyRefresh() {
        earlyRefreshCount.add(1)
        handles.earlyRefreshes.increment()
    }

    func abandonedWait() {
        abandonedWaitCount.add(1)
        handles.abandonedWaits.increment()
    }

    var snapshot: VerifierMetrics {
        VerifierMetrics(
            allowed: allowedCount.load(ordering: .relaxed), rejections: rejectionCount.load(ordering: .relaxed),
            refreshes: refreshCount.load(ordering: .relaxed), refreshFailures: refreshFailureCount.load(ordering: .relaxed),
            earlyRefreshes: earlyRefreshCount.load(ordering: .relaxed), staleServes: staleServeCount.load(ordering: .relaxed),
            secretValueReads: secretValueReadCount.load(ordering: .relaxed), abandonedWaits: abandonedWaitCount.load(ordering: .relaxed)
        )
    }
}

extension Atomic<Int> {
    fileprivate func add(_ amount: Int) {
        wrappingAdd(amount, ordering: .relaxed)
    }
}
