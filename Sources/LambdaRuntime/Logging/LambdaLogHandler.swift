public import Logging

/// A swift-log handler that writes Lambda log lines to standard output, in the format and at the
/// level of a ``LambdaLogConfiguration``.
///
/// The `requestId` metadata key is written as the line's request id. Install it once, in the
/// executable: `LoggingSystem.bootstrap { LambdaLogHandler(label: $0, configuration: configuration) }`.
public struct LambdaLogHandler: LogHandler {
    public let label: String
    public let format: LambdaLogConfiguration.Format
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let writer: LogLineWriter

    public init(label: String, configuration: LambdaLogConfiguration, writer: LogLineWriter = .standardOutput) {
        self.label = label
        self.format = configuration.format
        self.logLevel = configuration.level
        self.writer = writer
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { _, new in new }
        }
        if let extra = event.metadata {
            merged.merge(extra) { _, new in new }
        }
        writer.writeLine(
            Self.render(
                format: format,
                timestamp: WallClock.iso8601(),
                level: event.level,
                message: event.message.description,
                metadata: merged
            )
        )
    }

    /// One log line, without the newline.
    static func render(
        format: LambdaLogConfiguration.Format,
        timestamp: String,
        level: Logger.Level,
        message: String,
        metadata: Logger.Metadata
    ) -> String {
        let levelName = LambdaLogConfiguration.name(of: level)
        let requestID = metadata["requestId"].map { "\($0)" }
        let others = metadata.filter { $0.key != "requestId" }.sorted { $0.key < $1.key }
        switch format {
        case .text:
            var line = "\(timestamp) \(levelName) \(requestID ?? "-") \(message)"
            for (key, value) in others {
                line += " \(key)=\(value)"
            }
            return line
        case .json:
            var line = "{\"timestamp\":\(JSONText.quoted(timestamp)),\"level\":\(JSONText.quoted(levelName))"
            line += ",\"message\":\(JSONText.quoted(message))"
            if let requestID {
                line += ",\"requestId\":\(JSONText.quoted(requestID))"
            }
            for (key, value) in others where !Self.reservedKeys.contains(key) {
                line += ",\(JSONText.quoted(key)):\(JSONText.value(value))"
            }
            return line + "}"
        }
    }

    private static let reservedKeys: Set<String> = ["timestamp", "level", "message", "requestId"]
}
