import Foundation
import KeyMaterial

/// Small formatting helpers shared by the text renderers.
enum TextFormat {
    /// `2026-11-26 10:56:05Z`, or `-` when unknown.
    static func date(_ date: Date?) -> String {
        guard let date else { return "-" }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        return formatter.string(from: date) + "Z"
    }

    static func fingerprint(_ value: String?) -> String {
        value.map { "sha256:\($0)" } ?? "(no value)"
    }

    /// `4.2s` or `2m05s`.
    static func duration(_ duration: Duration) -> String {
        let seconds = duration / .seconds(1)
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let whole = Int(seconds)
        return String(format: "%dm%02ds", whole / 60, whole % 60)
    }
}
