#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import AWSServices
public import CoreMetrics
import KeyMaterial
public import Logging
import Synchronization

/// Answers "is this origin header value valid now?" for a secret rotated by KeyRotator (or by
/// amazon-cloudfront-api-key-rotator).
///
/// Accepted: `AWSCURRENT`; `AWSPENDING` when a distinct version carries it and holds a value; `AWSPREVIOUS`
/// for `previousGracePeriod` after it stopped being current (see `KeyRing.build` for how that moment is
/// derived). Values are compared in constant time against the secret's JSON field `secretKeyName`.
///
/// The key ring is cached for `cacheTTL`; at most one load runs at a time, whatever the request rate, and a
/// steady state costs one `DescribeSecret` per TTL (values are read once per version). Requests that arrive
/// while an expired ring is reloaded wait for that load: no work is left running in the background, which a
/// frozen Lambda execution environment could not finish. A value that matches
/// nothing waits for a refresh, at most one per `earlyRefreshInterval`. When Secrets Manager fails, the last
/// ring keeps serving for `staleIfErrorPeriod` past its TTL; without any ring every request is denied.
/// No value is ever logged: rejections are logged, rate-limited, with a fingerprint of what was sent.
///
/// The verifier is the hot path only: the refresh rules live in `KeyRingRefresher`, the log rate in
/// `RejectionLogLimiter`, and the counts in `VerifierMetrics` (also reported through swift-metrics).
public final class OriginVerifier: Sendable {
    public let configuration: Configuration
    private let clock: VerifierClock
    private let logger: Logger
    private let counters: VerifierCounters
    private let rejectionLog: RejectionLogLimiter
    private let refresher: KeyRingRefresher

    /// A verifier reading `configuration.secretId` through `secretsManager`. Nothing is loaded until the
    /// first `verify` or `refresh()`; call `refresh()` at start-up to load eagerly. Counts go to
    /// `metricsFactory` and to `metrics`; with `metricsFactory` nil, to the factory swift-metrics has
    /// bootstrapped by the first count (so bootstrap before the first request, not necessarily before this).
    public convenience init(configuration: Configuration, secretsManager: SecretsManagerClient, clock: VerifierClock = .system,
                            metricsFactory: (any MetricsFactory)? = nil, logger: Logger) {
        self.init(configuration: configuration,
                  source: KeyRingLoader(secretsManager: secretsManager, secretId: configuration.secretId, keyName: configuration.secretKeyName),
                  clock: clock, metricsFactory: metricsFactory, logger: logger)
    }

    init(configuration: Configuration, source: any KeyRingSource, clock: VerifierClock, metricsFactory: (any MetricsFactory)?, logger: Logger) {
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        let counters = VerifierCounters(factory: metricsFactory)
        self.counters = counters
        self.rejectionLog = RejectionLogLimiter(interval: configuration.rejectionLogInterval)
        self.refresher = KeyRingRefresher(configuration: configuration, source: source, clock: clock) { outcome in
            Self.report(outcome, counters: counters, configuration: configuration, logger: logger)
        }
    }

    /// The counters so far.
    public var metrics: VerifierMetrics { counters.snapshot }

    /// The error of the last load, if it failed.
    public var lastRefreshError: OriginVerifierError? { refresher.lastError }

    /// Whether `headerValue` (the request's header, nil when absent) is accepted now.
    ///
    /// When the ring must be refreshed first, the request waits for that refresh until `deadline`
    /// (and never longer than `refreshTimeout`); a request that stops waiting is answered from the
    /// last good ring (stale-if-error), or denied. An API Gateway authorizer passes its invocation's
    /// deadline minus a margin, so that it always answers before Lambda would stop it.
    public func verify(headerValue: String?, deadline: ContinuousClock.Instant? = nil) async -> Decision {
        guard var value = headerValue, !value.isEmpty else { return reject(.missingHeader, value: nil) }
        let limit = ContinuousClock.now + configuration.refreshTimeout
        let waitUntil = deadline.map { min($0, limit) } ?? limit
        var lookup = refresher.lookup(at: clock.now())
        var waited = false
        if lookup.expired, let refresh = lookup.refresh {
            waited = true
            if await wait(for: refresh, until: waitUntil) {
                lookup = refresher.lookup(at: clock.now())
            }
        }
        if let stage = match(&value, lookup) { return accept(stage, stale: lookup.expired) }
        if !waited, let refresh = lookup.refresh ?? startEarlyRefresh(at: lookup.now),
           await wait(for: refresh, until: waitUntil) {
            lookup = refresher.lookup(at: clock.now())
            if let stage = match(&value, lookup) { return accept(stage, stale: lookup.expired) }
        }
        return reject(lookup.ring == nil ? .noKeyRing : .unknownValue, value: value)
    }

    /// Loads the key ring now (joining a load in flight), ignoring the rate limits. Throws what made the
    /// load fail; the verifier keeps serving its last ring meanwhile.
    public func refresh() async throws(OriginVerifierError) {
        await refresher.refreshNow().value
        if let error = refresher.lastError { throw error }
    }

    // MARK: Hot path

    private func match(_ value: inout String, _ lookup: KeyRingRefresher.Lookup) -> StagingLabel? {
        guard let ring = lookup.ring else { return nil }
        return value.withUTF8 { ring.match($0, at: lookup.now) }
    }

    private func startEarlyRefresh(at now: Date) -> Task<Void, Never>? {
        guard let (task, started) = refresher.earlyRefresh(at: now) else { return nil }
        if started { counters.earlyRefresh() }
        return task
    }

    /// Waits for `refresh` until `deadline`; true when it finished in time. Stopping the wait leaves
    /// the refresh running: it is bounded by `refreshTimeout` and serves the next request.
    private func wait(for refresh: Task<Void, Never>, until deadline: ContinuousClock.Instant) async -> Bool {
        guard deadline > .now else {
            counters.abandonedWait()
            return false
        }
        let finished = await RefreshWait.race(refresh, until: deadline)
        if !finished { counters.abandonedWait() }
        return finished
    }

    private func accept(_ stage: StagingLabel, stale: Bool) -> Decision {
        counters.allowed(stage, stale: stale)
        return .allowed(stage)
    }

    private func reject(_ reason: Decision.DenialReason, value: String?) -> Decision {
        counters.denied(reason)
        if let suppressed = rejectionLog.admit(at: clock.now()) {
            var metadata: Logger.Metadata = ["reason": "\(reason.rawValue)", "header": "\(configuration.headerName)"]
            if let value { metadata["fingerprint"] = "\(fingerprint(value))" }
            if suppressed > 0 { metadata["suppressedSinceLastLog"] = "\(suppressed)" }
            logger.warning("origin request rejected", metadata: metadata)
        }
        return .denied(reason)
    }

    // MARK: Refresh outcomes

    private static func report(_ outcome: KeyRingRefresher.Outcome, counters: VerifierCounters, configuration: Configuration, logger: Logger) {
        switch outcome {
        case let .loaded(ring, promoted, valueReads, problems):
            counters.refreshed(valueReads: valueReads)
            for problem in problems {
                logger.warning("origin key version skipped", metadata: ["error": "\(problem)"])
            }
            let metadata: Logger.Metadata = [
                "secret": "\(configuration.secretId)", "current": "\(ring.currentVersionId)",
                "stages": "\(ring.entries.map(\.stage.rawValue).joined(separator: ","))",
                "previousValidUntil": "\(ring.previousValidUntil.map { "\($0)" } ?? "-")",
            ]
            if promoted {
                logger.info("origin key ring: new current version", metadata: metadata)
            } else {
                logger.debug("origin key ring loaded", metadata: metadata)
            }
        case let .failed(error, ringAge):
            counters.refreshFailed()
            let serving = ringAge.map { "last good key ring, loaded \(Int($0)) s ago" } ?? "nothing: every request is denied"
            logger.error("origin key ring refresh failed", metadata: ["error": "\(error)", "serving": "\(serving)"])
        }
    }
}
