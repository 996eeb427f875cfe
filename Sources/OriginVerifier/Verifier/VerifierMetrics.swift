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
/// counters created once, so that the hot path pays a few atomic adds and no allocation.
final class VerifierCounters: Sendable {
    private let allowedCount = Atomic<Int>(0)
    private let rejectionCount = Atomic<Int>(0)
    private let refreshCount = Atomic<Int>(0)
    private let refreshFailureCount = Atomic<Int>(0)
    private let earlyRefreshCount = Atomic<Int>(0)
    private let staleServeCount = Atomic<Int>(0)
    private let secretValueReadCount = Atomic<Int>(0)
    private let abandonedWaitCount = Atomic<Int>(0)

    private let allowedByStage: [StagingLabel: Counter]
    private let deniedByReason: [Decision.DenialReason: Counter]
    private let refreshes, refreshFailures, earlyRefreshes, staleServes, secretValueReads, abandonedWaits: Counter

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

    func allowed(_ stage: StagingLabel, stale: Bool) {
        allowedCount.add(1)
        allowedByStage[stage]?.increment()
        if stale {
            staleServeCount.add(1)
            staleServes.increment()
        }
    }

    func denied(_ reason: Decision.DenialReason) {
        rejectionCount.add(1)
        deniedByReason[reason]?.increment()
    }

    func refreshed(valueReads: Int) {
        refreshCount.add(1)
        refreshes.increment()
        secretValueReadCount.add(valueReads)
        if valueReads > 0 { secretValueReads.increment(by: valueReads) }
    }

    func refreshFailed() {
        refreshFailureCount.add(1)
        refreshFailures.increment()
    }

    func earlyRefresh() {
        earlyRefreshCount.add(1)
        earlyRefreshes.increment()
    }

    func abandonedWait() {
        abandonedWaitCount.add(1)
        abandonedWaits.increment()
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
