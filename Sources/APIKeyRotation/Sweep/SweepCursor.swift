#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where a sweep stopped, saved in the table so that the next sweep continues there.
struct SweepCursor: Codable, Equatable {
    enum Phase: String, Codable { case scan, rotate, retire }

    var phase: Phase
    /// The plan being queried (index path).
    var planID: String?
    /// The page to read next within the phase (and plan).
    var token: String?

    var encoded: String { String(decoding: (try? JSONEncoder().encode(self)) ?? Data(), as: UTF8.self) }

    static func decode(_ text: String?) -> SweepCursor? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(SweepCursor.self, from: Data(text.utf8))
    }
}
