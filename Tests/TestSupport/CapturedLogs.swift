public import Logging
import Synchronization

/// A `Logger` whose lines are kept for assertions: what was logged, and that no secret value was.
public final class CapturedLogs: Sendable {
    /// One log line.
    public struct Line: Sendable {
        public let level: Logger.Level
        public let message: String
        public let metadata: [String: String]

        /// `message key=value ...`, keys sorted.
        public var text: String { "\(message) \(metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))" }
    }

    private let stored = Mutex<[Line]>([])

    public init() {}

    /// A logger writing here, at `level`.
    public func logger(label: String = "test", level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: label) { _ in Handler(sink: self) }
        logger.logLevel = level
        return logger
    }

    /// Every line so far.
    public var lines: [Line] { stored.withLock { $0 } }

    /// The lines with this message.
    public func lines(_ message: String) -> [Line] { lines.filter { $0.message == message } }

    /// Everything logged, as one text.
    public var text: String { lines.map(\.text).joined(separator: "\n") }

    fileprivate func append(_ line: Line) { stored.withLock { $0.append(line) } }

    struct Handler: LogHandler {
        let sink: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            sink.append(Line(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
        }
    }
}
