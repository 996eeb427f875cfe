#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import Logging

/// `apikey-sweep`: finds the items due for rotation and the previous keys whose grace period is
/// over, and queues one message per unit of work (in batches of 10).
///
/// On a table with the two indexes it reads only the items with work; on APIGateway-API-Key-Auto-Rotation's table it
/// scans every page and says so. It stops before the deadline and saves where it stopped, so a
/// table of any size is swept across runs. It reads API Gateway once (every key, every plan's
/// keys) to check the key headroom and to give each message a ``KeySnapshot``.
public struct APIKeySweeper: Sendable {
    public let configuration: APIKeyRotationConfiguration
    public let store: any APIKeyStore
    public let table: any KeyItemTable
    public let queue: any WorkQueue
    public let clock: any RotationClock
    /// Time kept in hand before the deadline to send what is pending and save the checkpoint
    /// (at most a fifth of the time the sweep has, so that a short timeout still sweeps).
    public var deadlineMargin: Duration
    /// Where each sweep's counts and the key headroom are reported (not for dry runs).
    public let metrics: APIKeyMetrics

    public init(configuration: APIKeyRotationConfiguration, store: any APIKeyStore, table: any KeyItemTable, queue: any WorkQueue,
                clock: any RotationClock = SystemRotationClock(), deadlineMargin: Duration = .seconds(30), metrics: APIKeyMetrics = APIKeyMetrics()) {
        self.metrics = metrics
        self.configuration = configuration
        self.store = store
        self.table = table
        self.queue = queue
        self.clock = clock
        self.deadlineMargin = deadlineMargin
    }

    /// Sweeps until done or until `deadline - deadlineMargin`. A dry run queues nothing, writes
    /// nothing, ignores any checkpoint and lists the work it found; `progress` sees the counts after each page.
    public func sweep(deadline: ContinuousClock.Instant, dryRun: Bool = false, logger: Logger,
                      progress: (@Sendable (SweepReport) -> Void)? = nil) async throws -> SweepReport {
        let layout = try await table.layout()
        var run = SweepRun(sweeper: self, mode: layout == .indexed ? .index : .scan, dryRun: dryRun, deadline: deadline, logger: logger, progress: progress)
        if case .scanOnly(let missing) = layout {
            logger.notice("table has no rotation index: scanning every item", metadata: [
                "table": "\(configuration.tableName)", "missingIndexes": "\(missing.joined(separator: ","))",
            ])
        }
        try await run.readAPIGateway()
        let saved = dryRun ? nil : SweepCursor.decode(try await table.sweepCheckpoint())
        run.report.resumed = saved != nil
        switch layout {
        case .indexed: try await run.queryIndexes(from: saved)
        case .scanOnly: try await run.scanTable(from: saved)
        }
        try await run.flush()
        if !dryRun {
            if run.report.complete {
                if saved != nil { try await table.saveSweepCheckpoint(nil) }
            } else {
                try await table.saveSweepCheckpoint(run.stopCursor?.encoded)
            }
        }
        let r = run.report
        if !dryRun { metrics.swept(r) }
        logger.info("sweep finished", metadata: [
            "mode": "\(r.mode.rawValue)", "read": "\(r.read)", "due": "\(r.due)", "retiring": "\(r.retiring)", "queued": "\(r.queued)",
            "waitingForHeadroom": "\(r.waitingForHeadroom)", "missingKey": "\(r.missingKey)", "blocked": "\(r.blocked)", "invalid": "\(r.invalid)",
            "failedToQueue": "\(r.failedToQueue)", "keyHeadroom": "\(r.keyHeadroom)", "complete": "\(r.complete)", "dryRun": "\(dryRun)",
        ])
        return r
    }
}

/// The state of one sweep.
private struct SweepRun {
    let sweeper: APIKeySweeper
    let dryRun: Bool
    let deadline: ContinuousClock.Instant
    let logger: Logger
    let progress: (@Sendable (SweepReport) -> Void)?
    var report: SweepReport
    var pending: [WorkItem] = []
    var stopCursor: SweepCursor?
    /// Key id -> customer id, for every key API Gateway holds.
    var keys: [String: String?] = [:]
    var plans: [PlanInfo] = []
    /// Key id -> the plans it is in.
    var membership: [String: [String]] = [:]
    let margin: Duration
    let now: Date
    let rotateBefore: String
    let retireNotAfter: String

    init(sweeper: APIKeySweeper, mode: SweepReport.Mode, dryRun: Bool, deadline: ContinuousClock.Instant, logger: Logger,
         progress: (@Sendable (SweepReport) -> Void)?) {
        self.sweeper = sweeper
        self.dryRun = dryRun
        self.deadline = deadline
        self.logger = logger
        self.progress = progress
        margin = max(.zero, min(sweeper.deadlineMargin, (deadline - .now) / 5))
        report = SweepReport(mode: mode)
        now = sweeper.clock.now()
        rotateBefore = RotationTimestamp.string(from: now.addingTimeInterval(-sweeper.configuration.rotationIntervalDays * 86400))
        retireNotAfter = RotationTimestamp.string(from: now)
    }

    mutating func readAPIGateway() async throws {
        for key in try await sweeper.store.keys(namePrefix: nil) { keys[key.id] = key.customerId }
        plans = try await sweeper.store.plans().sorted { $0.id < $1.id }
        for plan in plans {
            for keyID in try await sweeper.store.keyIDs(inPlan: plan.id) { membership[keyID, default: []].append(plan.id) }
        }
        report.keyCount = keys.count
        report.keyHeadroom = max(0, sweeper.configuration.keyLimit - keys.count)
    }

    /// Whether there is time for another page.
    var hasTime: Bool { ContinuousClock.now + margin < deadline }

    mutating func scanTable(from saved: SweepCursor?) async throws {
        var token = saved?.phase == .scan ? saved?.token : nil
        repeat {
            guard hasTime else { return stop(at: SweepCursor(phase: .scan, planID: nil, token: token)) }
            let page = try await sweeper.table.scan(start: token)
            report.read += page.readCount
            for item in page.items {
                try await consider(item, rotation: true, retirement: true)
            }
            token = page.next
            progress?(report)
        } while token != nil
    }

    mutating func queryIndexes(from saved: SweepCursor?) async throws {
        let phases: [SweepCursor.Phase] = [.retire, .rotate]
        for phase in phases {
            if let saved, let savedIndex = phases.firstIndex(of: saved.phase), let index = phases.firstIndex(of: phase), index < savedIndex { continue }
            for plan in plans {
                var token: String?
                if let saved, saved.phase == phase, let savedPlan = saved.planID {
                    if plan.id < savedPlan { continue }
                    if plan.id == savedPlan { token = saved.token }
                }
                repeat {
                    guard hasTime else { return stop(at: SweepCursor(phase: phase, planID: plan.id, token: token)) }
                    let page = phase == .retire
                        ? try await sweeper.table.itemsDueForRetirement(planID: plan.id, notAfter: retireNotAfter, start: token)
                        : try await sweeper.table.itemsDueForRotation(planID: plan.id, before: rotateBefore, start: token)
                    report.read += page.readCount
                    for item in page.items {
                        try await consider(item, rotation: phase == .rotate, retirement: phase == .retire)
                    }
                    token = page.next
                    progress?(report)
                } while token != nil
            }
        }
    }

    mutating func stop(at cursor: SweepCursor) {
        report.complete = false
        stopCursor = cursor
        logger.notice("sweep stops before the deadline: the next sweep continues where this one stopped", metadata: ["read": "\(report.read)"])
    }

    /// Decides what an item needs and queues it.
    mutating func consider(_ item: KeyItem, rotation: Bool, retirement: Bool) async throws {
        if item.itemID == KeyItem.sweepCheckpointItemID { return }
        if retirement, let previous = item.previousKeyID, let end = item.previousKeyRetireAt.flatMap(RotationTimestamp.date(from:)), end <= now {
            report.retiring += 1
            try await plan(WorkItem(action: .retire, itemID: item.itemID, keyID: previous), kind: .retire, since: item.previousKeyRetireAt)
        }
        guard rotation else { return }
        guard let keyID = item.keyID, let updateTime = item.updateTime, RotationTimestamp.date(from: updateTime) != nil,
              item.usagePlanID != nil || membership[item.keyID ?? ""] != nil
        else {
            report.invalid += 1
            record(.invalid, item, keyID: item.keyID, since: item.updateTime)
            logger.warning("item cannot be rotated: it lacks APIGWKeyID, usagePlanID or a valid updateTime", metadata: ["item": "\(item.itemID)"])
            return
        }
        guard let updated = RotationTimestamp.date(from: updateTime), updated < now.addingTimeInterval(-sweeper.configuration.rotationIntervalDays * 86400) else { return }
        report.due += 1
        if item.previousKeyID != nil {
            report.blocked += 1
            record(.blocked, item, keyID: keyID, since: updateTime)
            return
        }
        guard let customerId = keys[keyID] else {
            report.missingKey += 1
            record(.missingKey, item, keyID: keyID, since: updateTime)
            logger.error("item names a key API Gateway no longer has: not rotated", metadata: [
                "item": "\(item.itemID)", "key": "\(keyID)", "fix": "keyrotator apikeys rotate --table \(sweeper.configuration.tableName) --item \(item.itemID) --replace-missing-key",
            ])
            return
        }
        guard report.keyHeadroom > 0 else {
            if report.waitingForHeadroom == 0 {
                logger.warning("key headroom exhausted: due rotations wait for retirements to free keys", metadata: ["keyLimit": "\(sweeper.configuration.keyLimit)", "keys": "\(report.keyCount)"])
            }
            report.waitingForHeadroom += 1
            record(.waitingForHeadroom, item, keyID: keyID, since: updateTime)
            return
        }
        report.keyHeadroom -= 1
        let planIDs = membership[keyID] ?? []
        let quota = Set(plans.filter(\.hasQuota).map(\.id))
        let allPlans = planIDs + (item.usagePlanID.flatMap { planIDs.contains($0) ? nil : [$0] } ?? [])
        let snapshot = KeySnapshot(plans: planIDs, quotaPlans: allPlans.filter { quota.contains($0) }, customerId: customerId)
        try await plan(WorkItem(action: .rotate, itemID: item.itemID, keyID: keyID, usagePlanID: item.usagePlanID, snapshot: snapshot), kind: .rotate, since: updateTime)
    }

    mutating func record(_ kind: PlannedWork.Kind, _ item: KeyItem, keyID: String?, since: String?) {
        if dryRun { report.work.append(PlannedWork(kind: kind, itemID: item.itemID, keyID: keyID, since: since)) }
    }

    mutating func plan(_ work: WorkItem, kind: PlannedWork.Kind, since: String?) async throws {
        if dryRun {
            report.work.append(PlannedWork(kind: kind, itemID: work.itemID, keyID: work.keyID, since: since))
            return
        }
        pending.append(work)
        if pending.count == 10 { try await flush() }
    }

    /// Sends what is pending; entries the queue refuses are tried once more.
    mutating func flush() async throws {
        guard !pending.isEmpty else { return }
        var batch = pending
        pending = []
        for attempt in 1...2 {
            let failed = try await sweeper.queue.send(batch)
            report.queued += batch.count - failed.count
            batch = failed.compactMap { batch.indices.contains($0) ? batch[$0] : nil }
            if batch.isEmpty { return }
            if attempt == 2 {
                report.failedToQueue += batch.count
                logger.error("the queue refused work: the next sweep finds it again", metadata: ["items": "\(batch.map(\.itemID).joined(separator: ","))"])
            }
        }
    }
}
