#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import AWSCore

/// Times as the table stores them: ISO 8601 in UTC with milliseconds, exactly as JavaScript's
/// `Date.prototype.toISOString()` writes them (`2026-12-03T12:00:00.000Z`), so that APIGateway-API-Key-Auto-Rotation's
/// readers parse them and strings sort in time order. Written without Foundation's formatters
/// (they would link ICU into the Lambda).
public enum RotationTimestamp {
    /// `2026-12-03T12:00:00.000Z`.
    public static func string(from date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let fraction = Int(milliseconds - seconds * 1000)
        let whole = AWSTimestamp.iso8601(Date(timeIntervalSince1970: Double(seconds)))
        let digits = String(fraction)
        return String(whole.dropLast()) + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// Parses what `string(from:)` writes, and other ISO 8601 date-times (without fraction, with an offset).
    public static func date(from text: String) -> Date? {
        AWSTimestamp.parseISO8601(text)
    }

    /// `yyyy-MM-dd` of the UTC day, as GetUsage takes it.
    public static func day(of date: Date) -> String {
        String(AWSTimestamp.iso8601(date).prefix(10))
    }
}
