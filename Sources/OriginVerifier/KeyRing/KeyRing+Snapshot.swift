#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AWSServices

extension KeyRing {
    /// Builds the ring for a snapshot read at `now`.
    ///
    /// `AWSPREVIOUS` is accepted until `grace` after `demotedAt`, the moment the version lost `AWSCURRENT`,
    /// which Secrets Manager does not report directly. The estimate is the latest of:
    /// - `LastChangedDate`: AWS bumps it on any change to the secret, so it is at or after the label move
    ///   (a later unrelated change only lengthens the window, never shortens it);
    /// - `LastRotatedDate`: set when a rotation runs (moto sets it when `RotateSecret` is called);
    /// - the `AWSCURRENT` version's `CreatedDate`: the new value was stored before it was promoted, so this
    ///   alone would be too early (the bug of amazon-api-gateway-secure-authorizer's design), but it is a floor when the dates above are missing;
    /// - `witnessedPromotion`: when this process first saw the current version as current, if it had
    ///   seen another version as current before. That is after the real demotion by at most one TTL, a
    ///   bound that holds even if the service's dates are earlier than the label move (as in moto, which
    ///   updates no date on `UpdateSecretVersionStage`). A process that never saw the old version as
    ///   current (it started after the rotation) relies on the service's dates only, never on its own
    ///   start time.
    /// Being late errs on the side of keeping the previous value, which is the conservative choice for an
    /// origin header: an edge still sending it must not be refused.
    static func build(snapshot: KeyRingLoader.Snapshot, loadedAt now: Date, grace: Duration, witnessedPromotion: Date?) -> KeyRing {
        var entries = [Entry(stage: .current, versionId: snapshot.current.versionId, key: snapshot.current.key.key, validUntil: nil)]
        if let pending = snapshot.pending {
            entries.append(Entry(stage: .pending, versionId: pending.versionId, key: pending.key.key, validUntil: nil))
        }
        if let previous = snapshot.previous {
            let demotedAt = demotionEstimate(snapshot: snapshot, witnessedPromotion: witnessedPromotion)
            entries.append(Entry(stage: .previous, versionId: previous.versionId, key: previous.key.key,
                                 validUntil: demotedAt.addingTimeInterval(grace / .seconds(1))))
        }
        return KeyRing(entries: entries, loadedAt: now, currentVersionId: snapshot.current.versionId)
    }

    /// The latest of the dates described in `build`; `.distantPast` when none is known.
    static func demotionEstimate(snapshot: KeyRingLoader.Snapshot, witnessedPromotion: Date?) -> Date {
        [snapshot.lastChangedDate, snapshot.lastRotatedDate, snapshot.current.key.createdDate, witnessedPromotion]
            .compactMap { $0 }
            .max() ?? .distantPast
    }
}

