public import EMFMetrics
import Logging
import Synchronization

/// An EMF backend whose documents the test reads: what a function would write to its log, parsed
/// and checked against the specification.
public final class EMFCapture: Sendable {
    public let factory: EMFMetricsFactory
    private let lines: Lines

    private final class Lines: Sendable {
        let value = Mutex<[String]>([])
    }

    public init(defaultDimensions: [(String, String)] = []) {
        let lines = Lines()
        self.lines = lines
        factory = EMFMetricsFactory(configuration: EMFConfiguration(namespace: "KeyRotatorTest", defaultDimensions: defaultDimensions),
                                    logger: Logger(label: "emf-capture") { _ in SwiftLogNoOpLogHandler() },
                                    write: { line in lines.value.withLock { $0.append(line) } })
    }

    /// Flushes, and returns every document written since the last call.
    public func flushDocuments() throws -> [EMFDocument] {
        _ = factory.flush()
        let taken = lines.value.withLock { lines in
            defer { lines = [] }
            return lines
        }
        return try taken.map { try EMFDocument($0) }
    }
}
