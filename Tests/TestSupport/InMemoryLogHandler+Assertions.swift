public import InMemoryLogging
public import Logging

extension InMemoryLogHandler {
    /// A logger writing here, at `level`.
    public func logger(label: String = "test", level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: label) { _ in self }
        logger.logLevel = level
        return logger
    }

    /// The entries with this message.
    public func entries(_ message: String) -> [Entry] {
        entries.filter { "\($0.message)" == message }
    }

    /// Everything logged, one `message key=value ...` line per entry (keys sorted): to assert that
    /// something was logged, or that a secret value never was.
    public var text: String {
        entries.map { entry in
            let metadata = entry.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            return "\(entry.message) \(metadata)"
        }.joined(separator: "\n")
    }
}
