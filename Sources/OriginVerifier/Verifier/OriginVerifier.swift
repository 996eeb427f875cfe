#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import AWSServices
import KeyMaterial
public import Logging
import Synchronization

/// Answers "is this origin header value valid now?" for a secret rotated by KeyRotator (or seed 000).
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
public final class OriginVerifier: Sendable {
    public let configuration: Configuration
    private let loader: KeyRingLoader
    private let clock: VerifierClock
    private let logger: Logger
    private let counters = MetricCounters()
    private let state = Mutex(State())

    struct State {
        var ring: KeyRing?
        var versions: [String: KeyRingLoader.VersionState] = [:]
        var refresh: Task<Void, Never>?
        var lastAttemptAt: Date?
        var lastFailureAt: Date?
        var lastError: OriginVerifierError?
        /// The current version and when this process first saw it current after seeing another one.
        var currentVersionId: String?
        var promotionSeenAt: Date?
        var lastRejectionLogAt: Date?
        var suppressedRejections = 0
    }

    /// A verifier reading `configuration.secretId` through `secretsManager`. Nothing is loaded until the
    /// first `verify` or `refresh()`; call `refresh()` at start-up to load eagerly.
    public init(configuration: Configuration, secretsManager: SecretsManagerClient, clock: VerifierClock = .system, logger: Logger) {
        self.configuration = configuration
        self.loader = KeyRingLoader(secretsManager: secretsManager, secretId: configuration.secretId, keyName: configuration.secretKeyName)
        self.clock = clock
        self.logger = logger
    }

    /// The counters so far.
    public var metrics: VerifierMetrics { counters.snapshot }

    /// The error of the last load, if it failed.
    public var lastRefreshError: OriginVerifierError? { state.withLock { $0.lastError } }

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
        var lookup = self.lookup(at: clock.now())
        var waited = false
        if lookup.expired, let refresh = lookup.refresh {
            waited = true
            if await wait(for: refresh, until: waitUntil) {
                lookup = self.lookup(at: clock.now())
            }
        }
        if let stage = match(&value, lookup) { return accept(stage, stale: lookup.expired) }
        if !waited, let refresh = lookup.refresh ?? startEarlyRefresh(at: lookup.now),
           await wait(for: refresh, until: waitUntil) {
            lookup = self.lookup(at: clock.now())
            if let stage = match(&value, lookup) { return accept(stage, stale: lookup.expired) }
        }
        return reject(lookup.ring == nil ? .noKeyRing : .unknownValue, value: value)
    }

    /// Waits for `refresh` until `deadline`; true when it finished in time. Stopping the wait leaves
    /// the refresh running: it is bounded by `refreshTimeout` and serves the next request.
    private func wait(for refresh: Task<Void, Never>, until deadline: ContinuousClock.Instant) async -> Bool {
        guard deadline > .now else {
            counters.abandonedWaits.increment()
            return false
        }
        let finished = await RefreshWait.race(refresh, until: deadline)
        if !finished { counters.abandonedWaits.increment() }
        return finished
    }

    /// Loads the key ring now (joining a load in flight), ignoring the rate limits. Throws what made the
    /// load fail; the verifier keeps serving its last ring meanwhile.
    public func refresh() async throws(OriginVerifierError) {
        let refresh = state.withLock { state in
            if let refresh = state.refresh { return refresh }
            return startRefresh(&state, at: clock.now(), early: false)
        }
        await refresh.value
        if let error = state.withLock({ $0.lastError }) { throw error }
    }

    // MARK: Hot path

    private struct Lookup {
        let now: Date
        /// The ring to answer from, nil when none is usable (never loaded, or stale past `staleIfErrorPeriod`).
        let ring: KeyRing?
        /// The ring is past its TTL (a refresh is due or failed).
        let expired: Bool
        let refresh: Task<Void, Never>?
    }

    private func lookup(at now: Date) -> Lookup {
        let ttl = configuration.cacheTTL / .seconds(1)
        let staleLimit = ttl + configuration.staleIfErrorPeriod / .seconds(1)
        return state.withLock { state in
            let age = state.ring.map { now.timeIntervalSince($0.loadedAt) }
            let expired = age.map { $0 >= ttl } ?? true
            if expired, state.refresh == nil, mayAttempt(state, at: now) {
                state.refresh = startRefresh(&state, at: now, early: false)
            }
            let usable = age.map { $0 < staleLimit } ?? false
            return Lookup(now: now, ring: usable ? state.ring : nil, expired: expired, refresh: state.refresh)
        }
    }

    private func match(_ value: inout String, _ lookup: Lookup) -> StagingLabel? {
        guard let ring = lookup.ring else { return nil }
        return value.withUTF8 { ring.match($0, at: lookup.now) }
    }

    private func accept(_ stage: StagingLabel, stale: Bool) -> Decision {
        counters.allowed.increment()
        if stale { counters.staleServes.increment() }
        return .allowed(stage)
    }

    private func reject(_ reason: Decision.DenialReason, value: String?) -> Decision {
        counters.rejections.increment()
        let now = clock.now()
        let interval = configuration.rejectionLogInterval / .seconds(1)
        let suppressed: Int? = state.withLock { state in
            if let last = state.lastRejectionLogAt, now.timeIntervalSince(last) < interval {
                state.suppressedRejections += 1
                return nil
            }
            defer { state.suppressedRejections = 0 }
            state.lastRejectionLogAt = now
            return state.suppressedRejections
        }
        if let suppressed {
            var metadata: Logger.Metadata = ["reason": "\(reason.rawValue)", "header": "\(configuration.headerName)"]
            if let value { metadata["fingerprint"] = "\(fingerprint(value))" }
            if suppressed > 0 { metadata["suppressedSinceLastLog"] = "\(suppressed)" }
            logger.warning("origin request rejected", metadata: metadata)
        }
        return .denied(reason)
    }

    // MARK: Refresh

    private func mayAttempt(_ state: State, at now: Date) -> Bool {
        guard let failedAt = state.lastFailureAt else { return true }
        return now.timeIntervalSince(failedAt) >= (configuration.failureRetryInterval / .seconds(1))
    }

    private func startEarlyRefresh(at now: Date) -> Task<Void, Never>? {
        state.withLock { state in
            if let refresh = state.refresh { return refresh }
            guard mayAttempt(state, at: now) else { return nil }
            if let last = state.lastAttemptAt, now.timeIntervalSince(last) < (configuration.earlyRefreshInterval / .seconds(1)) {
                return nil
            }
            return startRefresh(&state, at: now, early: true)
        }
    }

    private func startRefresh(_ state: inout State, at now: Date, early: Bool) -> Task<Void, Never> {
        if early { counters.earlyRefreshes.increment() }
        state.lastAttemptAt = now
        let known = state.versions
        let task = Task { await self.load(known: known) }
        state.refresh = task
        return task
    }

    private func load(known: [String: KeyRingLoader.VersionState]) async {
        // The ring's age counts from before its first read, so that a ring never holds content older
        // than its TTL however long the load took (the rotator's setSecret wait relies on that).
        let startedAt = clock.now()
        let result = await loader.load(known: known, timeout: configuration.refreshTimeout)
        let now = clock.now()
        switch result {
        case .success(let snapshot):
            counters.refreshes.increment()
            counters.secretValueReads.wrappingAdd(snapshot.valueReads, ordering: .relaxed)
            let (ring, promoted) = state.withLock { state in
                let promoted = state.currentVersionId.map { $0 != snapshot.current.versionId } ?? false
                if promoted {
                    state.promotionSeenAt = now
                } else if state.currentVersionId == nil {
                    state.promotionSeenAt = nil
                }
                state.currentVersionId = snapshot.current.versionId
                let ring = KeyRing.build(snapshot: snapshot, loadedAt: startedAt, grace: configuration.previousGracePeriod,
                                         witnessedPromotion: state.promotionSeenAt)
                state.ring = ring
                state.versions = snapshot.versions
                state.lastFailureAt = nil
                state.lastError = nil
                state.refresh = nil
                return (ring, promoted)
            }
            for problem in snapshot.newProblems {
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
        case .failure(let error):
            counters.refreshFailures.increment()
            let ringAge: TimeInterval? = state.withLock { state in
                state.lastFailureAt = now
                state.lastError = error
                state.refresh = nil
                return state.ring.map { now.timeIntervalSince($0.loadedAt) }
            }
            let serving = ringAge.map { "last good key ring, loaded \(Int($0)) s ago" } ?? "nothing: every request is denied"
            logger.error("origin key ring refresh failed", metadata: ["error": "\(error)", "serving": "\(serving)"])
        }
    }
}
