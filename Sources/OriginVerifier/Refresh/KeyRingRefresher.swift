#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import Synchronization

/// The verifier's refresh state machine: which key ring to answer from, when to load a new one, and
/// what a load's outcome changes. At most one load runs at a time; a ring past `cacheTTL` starts one;
/// a failed load is retried no sooner than `failureRetryInterval`; an early load (for a value that
/// matched nothing) runs at most once per `earlyRefreshInterval`; a ring keeps serving for
/// `staleIfErrorPeriod` past its TTL while loads fail. Time is the injected clock's, so every rule
/// is testable without Secrets Manager.
final class KeyRingRefresher: Sendable {
    /// What one request sees.
    struct Lookup {
        let now: Date
        /// The ring to answer from; nil when none is usable (never loaded, or stale past `staleIfErrorPeriod`).
        let ring: KeyRing?
        /// The ring is past its TTL (a refresh is due, running or failing).
        let expired: Bool
        /// The load in flight, if any.
        let refresh: Task<Void, Never>?
    }

    /// What a finished load did, for the owner's counters and logs.
    enum Outcome {
        case loaded(KeyRing, promoted: Bool, valueReads: Int, problems: [OriginVerifierError])
        case failed(OriginVerifierError, servingRingAge: TimeInterval?)
    }

    private struct State {
        var ring: KeyRing?
        var versions: [String: KeyRingLoader.VersionState] = [:]
        var refresh: Task<Void, Never>?
        var lastAttemptAt: Date?
        var lastFailureAt: Date?
        var lastError: OriginVerifierError?
        /// The current version, and when this process first saw it current after seeing another one.
        var currentVersionId: String?
        var promotionSeenAt: Date?
    }

    private let configuration: OriginVerifier.Configuration
    private let source: any KeyRingSource
    private let clock: VerifierClock
    private let onOutcome: @Sendable (Outcome) -> Void
    private let state = Mutex(State())

    init(configuration: OriginVerifier.Configuration, source: any KeyRingSource, clock: VerifierClock, onOutcome: @escaping @Sendable (Outcome) -> Void) {
        self.configuration = configuration
        self.source = source
        self.clock = clock
        self.onOutcome = onOutcome
    }

    /// The error of the last load, if it failed.
    var lastError: OriginVerifierError? { state.withLock { $0.lastError } }

    /// The ring to answer from at `now`; starts a load when the ring is due and one may be attempted.
    func lookup(at now: Date) -> Lookup {
        let ttl = configuration.cacheTTL / .seconds(1)
        let staleLimit = ttl + configuration.staleIfErrorPeriod / .seconds(1)
        return state.withLock { state in
            let age = state.ring.map { now.timeIntervalSince($0.loadedAt) }
            let expired = age.map { $0 >= ttl } ?? true
            if expired, state.refresh == nil, mayAttempt(state, at: now) {
                startLoad(&state, at: now)
            }
            let usable = age.map { $0 < staleLimit } ?? false
            return Lookup(now: now, ring: usable ? state.ring : nil, expired: expired, refresh: state.refresh)
        }
    }

    /// A load for a value that matched nothing: the one in flight, a new one when the rate limits
    /// allow it (`started` is then true), or nil.
    func earlyRefresh(at now: Date) -> (task: Task<Void, Never>, started: Bool)? {
        state.withLock { state in
            if let refresh = state.refresh { return (refresh, false) }
            guard mayAttempt(state, at: now) else { return nil }
            if let last = state.lastAttemptAt, now.timeIntervalSince(last) < configuration.earlyRefreshInterval / .seconds(1) {
                return nil
            }
            return (startLoad(&state, at: now), true)
        }
    }

    /// The load in flight, or a new one whatever the rate limits say.
    func refreshNow() -> Task<Void, Never> {
        state.withLock { state in state.refresh ?? startLoad(&state, at: clock.now()) }
    }

    private func mayAttempt(_ state: State, at now: Date) -> Bool {
        guard let failedAt = state.lastFailureAt else { return true }
        return now.timeIntervalSince(failedAt) >= configuration.failureRetryInterval / .seconds(1)
    }

    @discardableResult
    private func startLoad(_ state: inout State, at now: Date) -> Task<Void, Never> {
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
        let result = await source.load(known: known, timeout: configuration.refreshTimeout)
        let now = clock.now()
        let outcome: Outcome = state.withLock { state in
            state.refresh = nil
            switch result {
            case .success(let snapshot):
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
                return .loaded(ring, promoted: promoted, valueReads: snapshot.valueReads, problems: snapshot.newProblems)
            case .failure(let error):
                state.lastFailureAt = now
                state.lastError = error
                return .failed(error, servingRingAge: state.ring.map { now.timeIntervalSince($0.loadedAt) })
            }
        }
        onOutcome(outcome)
    }
}
