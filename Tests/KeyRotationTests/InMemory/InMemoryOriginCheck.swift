import KeyRotation
import Synchronization

/// An origin in memory that accepts exactly the values it is told to, and counts probes.
final class InMemoryOriginCheck: OriginCheck {
    let url = "https://origin.example.com/health"
    let accepted: Mutex<Set<String>>
    let acceptsEverything: Bool
    let probes = Mutex(0)

    init(accepting values: Set<String>, acceptsEverything: Bool = false) {
        accepted = Mutex(values)
        self.acceptsEverything = acceptsEverything
    }

    func probe(value: String, label: String) async throws(RotationError) -> OriginVerdict {
        probes.withLock { $0 += 1 }
        return acceptsEverything || accepted.withLock({ $0.contains(value) }) ? .accepted(status: 200) : .rejected(status: 403)
    }
}
