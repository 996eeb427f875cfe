#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Counts of a table's items by state, the next and the most overdue rotation, and the account's
/// key headroom: what `keyrotator apikeys status` shows. Reads every item (a paginated Scan).
public struct KeyTableStatus: Sendable, Equatable, Encodable {
    /// `index` when the table has both indexes, else `scan`.
    public var mode: SweepReport.Mode
    public var missingIndexes: [String]
    public var items = 0
    /// Not due yet, no previous key.
    public var current = 0
    /// `updateTime` older than the rotation interval.
    public var overdue = 0
    /// An old key in its grace period.
    public var inGrace = 0
    /// An old key whose grace period is over (the next sweep retires it).
    public var retirable = 0
    /// A rotation began and has not been recorded (it resumes on retry).
    public var rotating = 0
    /// Items naming a key API Gateway does not have.
    public var missingKey = 0
    /// Items without the attributes a rotation needs.
    public var invalid = 0
    /// The earliest time an item becomes due (among items not yet due).
    public var nextDue: String?
    /// The `updateTime` of the most overdue item.
    public var oldestOverdue: String?
    public var keyCount = 0
    public var keyLimit = 0
    public var keyHeadroom: Int { max(0, keyLimit - keyCount) }
    /// Items with a problem a person must fix (missing key, invalid).
    public var problems: [PlannedWork] = []

    enum CodingKeys: String, CodingKey {
        case mode, missingIndexes, items, current, overdue, inGrace, retirable, rotating, missingKey, invalid, nextDue, oldestOverdue, keyCount, keyLimit, keyHeadroom, problems
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(mode, forKey: .mode)
        try c.encode(missingIndexes, forKey: .missingIndexes)
        for (key, value) in [(CodingKeys.items, items), (.current, current), (.overdue, overdue), (.inGrace, inGrace), (.retirable, retirable),
                             (.rotating, rotating), (.missingKey, missingKey), (.invalid, invalid), (.keyCount, keyCount), (.keyLimit, keyLimit), (.keyHeadroom, keyHeadroom)] {
            try c.encode(value, forKey: key)
        }
        try c.encode(nextDue, forKey: .nextDue)
        try c.encode(oldestOverdue, forKey: .oldestOverdue)
        try c.encode(problems, forKey: .problems)
    }

    /// Reads the table and API Gateway; `progress` sees the number of items read after each page.
    public static func read(configuration: APIKeyRotationConfiguration, store: any APIKeyStore, table: any KeyItemTable, clock: any RotationClock = SystemRotationClock(),
                            progress: (@Sendable (Int) -> Void)? = nil) async throws -> KeyTableStatus {
        let layout = try await table.layout()
        var missing: [String] = []
        if case .scanOnly(let names) = layout { missing = names }
        var status = KeyTableStatus(mode: layout == .indexed ? .index : .scan, missingIndexes: missing)
        let keys = Set(try await store.keys(namePrefix: nil).map(\.id))
        status.keyCount = keys.count
        status.keyLimit = configuration.keyLimit
        let now = clock.now()
        let interval = configuration.rotationIntervalDays * 86400
        var nextDue: Date?
        var oldest: Date?
        var token: String?
        repeat {
            let page = try await table.scan(start: token)
            for item in page.items where item.itemID != KeyItem.sweepCheckpointItemID {
                status.items += 1
                guard let keyID = item.keyID, let text = item.updateTime, let updated = RotationTimestamp.date(from: text) else {
                    status.invalid += 1
                    status.problems.append(PlannedWork(kind: .invalid, itemID: item.itemID, keyID: item.keyID, since: item.updateTime))
                    continue
                }
                if !keys.contains(keyID) {
                    status.missingKey += 1
                    status.problems.append(PlannedWork(kind: .missingKey, itemID: item.itemID, keyID: keyID, since: text))
                }
                if item.rotatingFromKeyID != nil { status.rotating += 1 }
                if item.previousKeyID != nil {
                    let end = item.previousKeyRetireAt.flatMap(RotationTimestamp.date(from:))
                    if let end, end <= now { status.retirable += 1 } else { status.inGrace += 1 }
                }
                let due = updated.addingTimeInterval(interval)
                if due <= now {
                    status.overdue += 1
                    if oldest.map({ updated < $0 }) ?? true { oldest = updated }
                } else {
                    if item.previousKeyID == nil { status.current += 1 }
                    if nextDue.map({ due < $0 }) ?? true { nextDue = due }
                }
            }
            progress?(status.items)
            token = page.next
        } while token != nil
        status.nextDue = nextDue.map(RotationTimestamp.string(from:))
        status.oldestOverdue = oldest.map(RotationTimestamp.string(from:))
        return status
    }
}
