#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AWSServices

/// The values accepted at one moment, built from one Secrets Manager snapshot. Immutable: a refresh
/// replaces the whole ring, so a request reads one consistent set without holding a lock while comparing.
final class KeyRing: Sendable {
    struct Entry: Sendable {
        let stage: StagingLabel
        let versionId: String
        let key: [UInt8]
        /// The end of the grace window (`AWSPREVIOUS` only); nil while the ring lasts.
        let validUntil: Date?
    }

    let entries: [Entry]
    /// When the snapshot was read; the cache TTL counts from here.
    let loadedAt: Date
    let currentVersionId: String

    init(entries: [Entry], loadedAt: Date, currentVersionId: String) {
        self.entries = entries
        self.loadedAt = loadedAt
        self.currentVersionId = currentVersionId
    }

    /// The stage whose value equals `value` and is valid at `now`. Every entry is compared, in constant
    /// time, whatever matches first, so the time taken does not tell which entry matched.
    func match(_ value: UnsafeBufferPointer<UInt8>, at now: Date) -> StagingLabel? {
        var matched: StagingLabel?
        for entry in entries {
            let equal = ConstantTime.equals(value, entry.key)
            if equal, matched == nil, entry.validUntil.map({ now < $0 }) ?? true {
                matched = entry.stage
            }
        }
        return matched
    }

    /// When the `AWSPREVIOUS` value stops being accepted, if the ring has one.
    var previousValidUntil: Date? {
        entries.first { $0.stage == .previous }?.validUntil
    }
}
