import Logging

/// Feeds what the rotation steps log (info and above) into the progress display, with only the
/// metadata that tells progress (fingerprints, distribution ids), never the step's context.
struct RotationProgressLogHandler: LogHandler {
    let progress: RotationProgress
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    private static let shownKeys = ["inProgress", "distribution", "changed", "pending", "current", "waited", "wait", "reason", "attempt"]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let shown = Self.shownKeys.compactMap { key in merged[key].map { "\(key)=\($0)" } }
        progress.detail(([event.message.description] + shown).joined(separator: " "))
    }
}
