import Synchronization

/// Waiting on a refresh with a time limit. Awaiting a `Task`'s value cannot be cancelled, so the
/// wait is a continuation resumed by whichever comes first: the refresh finishing, or the deadline.
enum RefreshWait {
    /// True when `refresh` finished before `deadline`.
    static func race(_ refresh: Task<Void, Never>, until deadline: ContinuousClock.Instant) async -> Bool {
        let outcome = Once()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let timer = Task {
                try? await Task.sleep(until: deadline, clock: .continuous)
                if outcome.claim() { continuation.resume(returning: false) }
            }
            Task {
                await refresh.value
                if outcome.claim() {
                    timer.cancel()
                    continuation.resume(returning: true)
                }
            }
        }
    }

    /// Lets exactly one of two racers resume the continuation.
    private final class Once: Sendable {
        private let claimed = Atomic<Bool>(false)

        func claim() -> Bool {
            claimed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        }
    }
}
