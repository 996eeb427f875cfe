import KeyRotation
import Logging
import Synchronization

/// Distributions in memory: what each origin sends, whether the last change is deployed, and
/// faults to inject (a write that keeps conflicting, a write that never returns).
final class InMemoryHeaderTarget: OriginHeaderTarget {
    struct State {
        /// `distribution/origin` -> the value it sends.
        var sending: [String: String]
        var deployed = true
        var conflicts = false
        var writeDelay: Duration?
        var writes = 0
    }

    let state: Mutex<State>

    init(origins: [String] = ["E1/api", "E1/static"], sending value: String) {
        state = Mutex(State(sending: Dictionary(uniqueKeysWithValues: origins.map { ($0, value) })))
    }

    var writes: Int { state.withLock { $0.writes } }
    func values() -> Set<String> { state.withLock { Set($0.sending.values) } }

    func checkUsable() async throws {}

    func originsNotSending(_ value: String) async throws -> [String] {
        state.withLock { $0.sending.filter { $0.value != value }.map(\.key).sorted() }
    }

    func setHeader(to value: String, deadline: ContinuousClock.Instant, logger: Logger) async throws -> [String] {
        if let delay = state.withLock({ $0.writeDelay }) { try await Task.sleep(for: delay) }
        return try state.withLock { state in
            guard !state.conflicts else {
                throw RotationError(.updateConflict, "Distribution E1 kept changing or throttling (PreconditionFailed) over 6 attempts; nothing was lost, run the step again.")
            }
            let changed = state.sending.contains { $0.value != value }
            guard changed else { return [] }
            state.writes += 1
            for key in state.sending.keys { state.sending[key] = value }
            return ["E1"]
        }
    }

    func waitUntilDeployed(deadline: ContinuousClock.Instant, logger: Logger) async throws {
        guard state.withLock({ $0.deployed }) else {
            throw RotationError(.notDeployedInTime, "Distribution(s) E1 still InProgress; AWSCURRENT was not moved.")
        }
    }
}
