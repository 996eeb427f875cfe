import Synchronization

/// A token bucket: `acquire()` returns when a call may go, at most `ratePerSecond` on average and
/// `burst` at once. Waiters are served in arrival order (each reserves the next free slot).
public final class RateLimiter: Sendable {
    public let ratePerSecond: Double
    public let burst: Double
    private struct State {
        var tokens: Double
        var updated: ContinuousClock.Instant
        /// The last time a call made while throttled asked every caller to wait until.
        var pausedUntil: ContinuousClock.Instant
    }
    private let state: Mutex<State>

    public init(ratePerSecond: Double, burst: Double = 1) {
        self.ratePerSecond = max(ratePerSecond, 0.001)
        self.burst = max(burst, 1)
        let now = ContinuousClock.now
        state = Mutex(State(tokens: max(burst, 1), updated: now, pausedUntil: now))
    }

    /// Waits for a token.
    public func acquire() async throws {
        let wait = reserve(at: .now)
        if wait > .zero { try await Task.sleep(for: wait) }
    }

    /// Takes a token (going into debt when there is none) and says how long to wait for it.
    func reserve(at now: ContinuousClock.Instant) -> Duration {
        state.withLock { state in
            let elapsed = now - state.updated
            state.tokens = min(burst, state.tokens + elapsed.seconds * ratePerSecond)
            state.updated = now
            state.tokens -= 1
            var wait = state.tokens >= 0 ? Duration.zero : Duration.seconds(-state.tokens / ratePerSecond)
            if state.pausedUntil > now { wait = max(wait, state.pausedUntil - now) }
            return wait
        }
    }

    /// After a throttling answer: nobody starts another call before `duration` has passed.
    public func pause(for duration: Duration) {
        state.withLock { state in
            let until = ContinuousClock.now + duration
            if until > state.pausedUntil { state.pausedUntil = until }
        }
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
