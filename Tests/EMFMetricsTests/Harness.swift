import EMFMetrics
import InMemoryLogging
import Logging
import Synchronization
import TestSupport

/// A factory whose documents, clock and log are the test's: lines are captured, time moves only
/// when the test says so, warnings are kept in memory.
final class Harness: Sendable {
    static let start: Int64 = 1_767_225_600_000

    let factory: EMFMetricsFactory
    let log: InMemoryLogHandler
    private let lines: Lines
    private let clock: Clock

    private final class Lines: Sendable {
        let value = Mutex<[String]>([])
    }

    private final class Clock: Sendable {
        let value = Mutex<Int64>(Harness.start)
    }

    init(_ configuration: EMFConfiguration = EMFConfiguration(), realClock: Bool = false) {
        let log = InMemoryLogHandler()
        let lines = Lines()
        let clock = Clock()
        let manual: @Sendable () -> Int64 = { clock.value.withLock { $0 } }
        self.log = log
        self.lines = lines
        self.clock = clock
        factory = EMFMetricsFactory(
            configuration: configuration,
            logger: Logger(label: "EMFMetricsTests", factory: { _ in log }),
            now: realClock ? EMFMetricsFactory.unixMilliseconds : manual,
            write: { line in lines.value.withLock { $0.append(line) } }
        )
    }

    var now: Int64 { clock.value.withLock { $0 } }

    func advance(by duration: Duration) {
        clock.value.withLock { $0 += Int64(duration / .milliseconds(1)) }
    }

    func setClock(_ milliseconds: Int64) {
        clock.value.withLock { $0 = milliseconds }
    }

    /// The lines written since the last call.
    func takeLines() -> [String] {
        lines.value.withLock { lines in
            defer { lines = [] }
            return lines
        }
    }

    /// Flushes and parses every document, checking each against the specification.
    func flushDocuments() throws -> [EMFDocument] {
        factory.flush()
        return try takeLines().map { try EMFDocument($0) }
    }
}
