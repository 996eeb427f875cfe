#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// At most one rejection log line per interval, whatever the rate of wrong values: the others are
/// counted, and the next line says how many were left out.
final class RejectionLogLimiter: Sendable {
    private let interval: TimeInterval
    private let state = Mutex<(lastLoggedAt: Date?, suppressed: Int)>((nil, 0))

    init(interval: Duration) {
        self.interval = interval / .seconds(1)
    }

    /// The number of rejections left out since the last line when a line may be written at `now`;
    /// nil when this one is to be left out.
    func admit(at now: Date) -> Int? {
        state.withLock { state in
            if let last = state.lastLoggedAt, now.timeIntervalSince(last) < interval {
                state.suppressed += 1
                return nil
            }
            defer { state = (now, 0) }
            return state.suppressed
        }
    }
}
