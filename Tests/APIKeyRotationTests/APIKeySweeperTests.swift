@testable import APIKeyRotation
import Foundation
import InMemoryLogging
import Logging
import Testing
import TestSupport

/// What the sweep reads, finds and queues.
@Suite struct APIKeySweeperTests {
    static let far = ContinuousClock.now + .seconds(3600)

    @Test func withTheIndexesItReadsOnlyTheItemsWithWork() async throws {
        let kit = RotationKit(indexed: true, pageSize: 7)
        let plan = kit.gateway.addPlan("p")
        for i in 0..<50 { kit.addItem("fresh-\(i)", plans: [plan], ageDays: 3) }
        for i in 0..<5 { kit.addItem("due-\(i)", plans: [plan], ageDays: 31) }
        let report = try await kit.sweeper.sweep(deadline: Self.far, logger: kit.logger)
        #expect(report.mode == .index)
        #expect(report.read == 5)
        #expect(report.due == 5 && report.queued == 5 && report.retiring == 0)
        let queued = kit.queue.messages
        #expect(Set(queued.map(\.itemID)) == Set((0..<5).map { "due-\($0)" }))
        #expect(queued.allSatisfy { $0.action == .rotate && $0.snapshot?.plans == [plan] })
        #expect(kit.logs.entries("sweep finished").first?.metadata["queued"] == "5")
    }

    @Test func withoutThemItScansEveryPageAndSaysSo() async throws {
        let kit = RotationKit(indexed: false, pageSize: 7)
        let plan = kit.gateway.addPlan("p")
        for i in 0..<50 { kit.addItem("fresh-\(i)", plans: [plan], ageDays: 3) }
        for i in 0..<5 { kit.addItem("due-\(i)", plans: [plan], ageDays: 31) }
        let report = try await kit.sweeper.sweep(deadline: Self.far, logger: kit.logger)
        #expect(report.mode == .scan)
        #expect(report.read == 55)
        #expect(report.queued == 5)
        #expect(!kit.logs.entries("table has no rotation index: scanning every item").isEmpty)
    }

    @Test func itFindsRetirementsAndCountsWhatItCannotRotate() async throws {
        let kit = RotationKit(indexed: false)
        let plan = kit.gateway.addPlan("p")
        let (rotated, _) = kit.addItem("rotated", plans: [plan])
        _ = try await kit.rotator.rotate(kit.rotateWork(rotated), logger: kit.logger)
        let (gone, goneKey) = kit.addItem("gone", plans: [plan])
        _ = try await kit.gateway.delete(keyID: goneKey)
        kit.table.put(KeyItem(itemID: "broken", keyID: nil, usagePlanID: plan, updateTime: "yesterday"))
        _ = gone
        kit.clock.advance(hours: 25)
        let report = try await kit.sweeper.sweep(deadline: Self.far, logger: kit.logger)
        #expect(report.retiring == 1)
        #expect(report.missingKey == 1)
        #expect(report.invalid == 1)
        #expect(kit.queue.messages.map(\.action) == [.retire])
    }

    @Test func atTheKeyLimitDueRotationsWaitAndTheSweepSaysSo() async throws {
        var kit = RotationKit(indexed: true)
        kit.configuration.keyLimit = 3
        let plan = kit.gateway.addPlan("p")
        for i in 0..<2 { kit.addItem("due-\(i)", plans: [plan]) }
        let report = try await kit.sweeper.sweep(deadline: Self.far, logger: kit.logger)
        #expect(report.queued == 1)
        #expect(report.waitingForHeadroom == 1)
        #expect(!kit.logs.entries("key headroom exhausted: due rotations wait for retirements to free keys").isEmpty)
    }

    @Test func aSweepOutOfTimeSavesWhereItStoppedAndTheNextContinues() async throws {
        let kit = RotationKit(indexed: false, pageSize: 10)
        let plan = kit.gateway.addPlan("p")
        for i in 0..<30 { kit.addItem(String(format: "item-%02d", i), plans: [plan]) }
        let first = try await kit.sweeper.sweep(deadline: .now - .seconds(1), logger: kit.logger)
        #expect(first.complete == false)
        #expect(first.queued == 0)
        #expect(SweepCursor.decode(kit.table.checkpoint) == SweepCursor(phase: .scan, planID: nil, token: nil))
        // As if a sweep had stopped after its first page.
        try await kit.table.saveSweepCheckpoint(SweepCursor(phase: .scan, planID: nil, token: "item-09").encoded)
        let second = try await kit.sweeper.sweep(deadline: Self.far, logger: kit.logger)
        #expect(second.resumed)
        #expect(second.complete)
        #expect(second.read == 20, "it continues after the page where the last one stopped")
        #expect(second.queued == 20)
        #expect(kit.table.checkpoint == nil, "a finished sweep removes the checkpoint")
    }

    @Test func anIndexedSweepResumesAtThePlanAndPhaseItStoppedIn() async throws {
        let kit = RotationKit(indexed: true, pageSize: 2)
        for name in ["a", "b", "c"] {
            let plan = kit.gateway.addPlan(name)
            for i in 0..<3 { kit.addItem("\(name)-\(i)", plans: [plan]) }
        }
        try await kit.table.saveSweepCheckpoint(SweepCursor(phase: .rotate, planID: "b", token: "b-1").encoded)
        let report = try await kit.sweeper.sweep(deadline: Self.far, logger: kit.logger)
        #expect(Set(kit.queue.messages.map(\.itemID)) == ["b-2", "c-0", "c-1", "c-2"])
        #expect(report.complete)
    }

    @Test func aDryRunListsTheWorkAndQueuesNothing() async throws {
        let kit = RotationKit(indexed: true)
        let plan = kit.gateway.addPlan("p")
        kit.addItem("due", plans: [plan])
        let report = try await kit.sweeper.sweep(deadline: Self.far, dryRun: true, logger: kit.logger)
        #expect(report.work.map(\.itemID) == ["due"])
        #expect(report.work.map(\.kind) == [.rotate])
        #expect(kit.queue.messages.isEmpty)
    }

    @Test func theQueuesRefusalsAreRetriedThenCounted() async throws {
        let kit = RotationKit(indexed: true)
        let plan = kit.gateway.addPlan("p")
        for i in 0..<12 { kit.addItem("due-\(i)", plans: [plan]) }
        kit.queue.refuse(itemID: "due-3")
        let report = try await kit.sweeper.sweep(deadline: Self.far, logger: kit.logger)
        #expect(report.queued == 11)
        #expect(report.failedToQueue == 1)
    }

    @Test func theWholeLifeOfAKeyThroughSweepsAndTheQueue() async throws {
        let kit = RotationKit(indexed: true)
        let plan = kit.gateway.addPlan("p")
        let (_, old) = kit.addItem("i", plans: [plan])
        _ = try await kit.sweeper.sweep(deadline: Self.far, logger: kit.logger)
        for work in kit.queue.drain() { _ = try await kit.rotator.perform(work, logger: kit.logger) }
        let new = try #require(kit.table["i"]?.keyID)
        #expect(new != old && kit.gateway.hasKey(old))

        kit.clock.advance(hours: 23)
        let during = try await kit.sweeper.sweep(deadline: Self.far, logger: kit.logger)
        #expect(during.queued == 0, "nothing to do during the grace")
        kit.clock.advance(hours: 2)
        let after = try await kit.sweeper.sweep(deadline: Self.far, logger: kit.logger)
        #expect(after.retiring == 1)
        for work in kit.queue.drain() { _ = try await kit.rotator.perform(work, logger: kit.logger) }
        #expect(!kit.gateway.hasKey(old))
        #expect(kit.gateway.allKeys.map(\.stored.id) == [new])
        #expect(kit.table["i"]?.previousKeyID == nil)
    }
}
