import APIKeyRotation
import AWSCore
import Foundation
import KeyMaterial
import Testing
import TestSupport

/// The rotation's step logic against in-memory API Gateway and table: what ends up where.
@Suite struct APIKeyRotatorTests {
    @Test func aRotationCreatesAttachesRecordsAndKeepsTheOldKey() async throws {
        let kit = RotationKit()
        let main = kit.gateway.addPlan("main")
        let extra = kit.gateway.addPlan("extra")
        let (item, old) = kit.addItem("customer-1", plans: [main, extra], customerId: "cust-9")

        let outcome = try await kit.rotator.rotate(kit.rotateWork(item), logger: kit.logger)

        #expect(outcome.result == .rotated)
        let recorded = try #require(kit.table["customer-1"])
        let new = try #require(recorded.keyID)
        #expect(new != old)
        #expect(outcome.keyID == new)
        #expect(recorded.previousKeyID == old)
        #expect(recorded.previousKeyRetireAt == RotationTimestamp.string(from: kit.clock.now().addingTimeInterval(24 * 3600)))
        #expect(recorded.updateTime == RotationTimestamp.string(from: kit.clock.now()))
        #expect(recorded.rotatingFromKeyID == nil)
        #expect(kit.gateway.plansOf(new) == ["extra", "main"], "the new key is in every plan the old key is in")
        #expect(kit.gateway.plansOf(old) == ["extra", "main"], "the old key stays in its plans until its grace ends")
        let newKey = try #require(kit.gateway.allKeys.first { $0.stored.id == new })
        #expect(newKey.stored.name == KeyNaming.name(itemID: "customer-1", replacing: old))
        #expect(newKey.stored.customerId == "cust-9")
        #expect(newKey.stored.tags["keyrotator:replaces"] == old)
        #expect(recorded.hasStoredValue == false, "the value is not written to the table by default")
        #expect(kit.events.published.map(\.kind) == [.rotated])
        #expect(kit.events.published.first?.previousKeyID == old)
        #expect(kit.orphanKeys.isEmpty)
        #expect(!kit.logsHoldAValue)
    }

    @Test func theItemsUsagePlanIsAddedEvenWhenTheOldKeyIsNotInIt() async throws {
        let kit = RotationKit()
        let main = kit.gateway.addPlan("main")
        let other = kit.gateway.addPlan("other")
        let (item, _) = kit.addItem("i", plans: [other])
        var work = kit.rotateWork(item)
        work.usagePlanID = nil
        kit.table.put(KeyItem(itemID: "i", keyID: item.keyID, usagePlanID: main, updateTime: item.updateTime))
        let outcome = try await kit.rotator.rotate(work, logger: kit.logger)
        #expect(kit.gateway.plansOf(outcome.keyID) == ["main", "other"])
    }

    @Test func storeKeyValueWritesTheNewValueAndOnlyThen() async throws {
        var kit = RotationKit()
        kit.configuration.storeKeyValue = true
        let plan = kit.gateway.addPlan()
        let (item, _) = kit.addItem("i", plans: [plan])
        kit.table.put(item, value: "stale-value-of-the-old-key-000000")
        let outcome = try await kit.rotator.rotate(kit.rotateWork(item), logger: kit.logger)
        let stored = try #require(kit.table.storedValue("i"))
        #expect(fingerprint(stored) == fingerprint(kit.gateway.valueOf(outcome.keyID) ?? ""))

        let plain = RotationKit()
        let plainPlan = plain.gateway.addPlan()
        let (old, _) = plain.addItem("j", plans: [plainPlan])
        plain.table.put(old, value: "stale-value-of-the-old-key-000000")
        _ = try await plain.rotator.rotate(plain.rotateWork(old), logger: plain.logger)
        #expect(plain.table.storedValue("j") == nil, "without STORE_KEY_VALUE a stale value is removed, not kept")
    }

    @Test func aRedeliveredRotationChangesNothing() async throws {
        let kit = RotationKit()
        let plan = kit.gateway.addPlan()
        let (item, _) = kit.addItem("i", plans: [plan])
        let first = try await kit.rotator.rotate(kit.rotateWork(item), logger: kit.logger)
        let second = try await kit.rotator.rotate(kit.rotateWork(item), logger: kit.logger)
        #expect(second.result == .alreadyRotated)
        #expect(second.keyID == first.keyID)
        #expect(kit.gateway.allKeys.count == 2)
        #expect(kit.gateway.callCount("CreateApiKey") == 1)
    }

    @Test func unknownItemsWrongKeysAndMissingKeysAreErrorsThatChangeNothing() async throws {
        let kit = RotationKit()
        let plan = kit.gateway.addPlan()
        let (item, old) = kit.addItem("i", plans: [plan])
        let before = kit.table.allItems

        await #expect(throws: APIKeyRotationError.self) { _ = try await kit.rotator.rotate(WorkItem(action: .rotate, itemID: "nope", keyID: old), logger: kit.logger) }
        do {
            _ = try await kit.rotator.rotate(WorkItem(action: .rotate, itemID: "i", keyID: "someoneElse"), logger: kit.logger)
            Issue.record("a key the item does not name must be refused")
        } catch let error as APIKeyRotationError {
            #expect(error.code == .keyMismatch)
        }
        _ = try await kit.gateway.delete(keyID: old)
        do {
            _ = try await kit.rotator.rotate(kit.rotateWork(item), logger: kit.logger)
            Issue.record("an item whose key is gone must be refused")
        } catch let error as APIKeyRotationError {
            #expect(error.code == .keyMissing)
            #expect(error.message.contains("--replace-missing-key"), "the error says how to give the item a new key")
        }
        #expect(kit.table.allItems == before)
        #expect(kit.gateway.callCount("CreateApiKey") == 0)

        let repaired = try await kit.rotator.replaceMissingKey(itemID: "i", logger: kit.logger)
        #expect(kit.table["i"]?.keyID == repaired.keyID)
        #expect(kit.table["i"]?.previousKeyID == nil)
        #expect(kit.gateway.plansOf(repaired.keyID) == [plan])
    }

    @Test func quotaUsageIsCarriedOverToTheNewKey() async throws {
        let kit = RotationKit()
        let plan = kit.gateway.addPlan("metered", hasQuota: true)
        let (item, old) = kit.addItem("i", plans: [plan])
        kit.gateway.setRemaining(42, keyID: old, planID: plan)
        let outcome = try await kit.rotator.rotate(kit.rotateWork(item), logger: kit.logger)
        #expect(kit.gateway.remaining(keyID: outcome.keyID, planID: plan) == 42, "the new key starts with what the old key had left")
    }

    @Test func retirementWaitsForTheGraceThenDetachesDeletesAndClears() async throws {
        let kit = RotationKit()
        let plan = kit.gateway.addPlan()
        let (item, old) = kit.addItem("i", plans: [plan])
        let rotated = try await kit.rotator.rotate(kit.rotateWork(item), logger: kit.logger)
        let retire = WorkItem(action: .retire, itemID: "i", keyID: old)

        do {
            _ = try await kit.rotator.retire(retire, logger: kit.logger)
            Issue.record("a retirement before the grace ends must be refused")
        } catch let error as APIKeyRotationError {
            #expect(error.code == .graceNotOver)
        }
        #expect(kit.gateway.hasKey(old))

        kit.clock.advance(hours: 24)
        let outcome = try await kit.rotator.retire(retire, logger: kit.logger)
        #expect(outcome.result == .retired)
        #expect(!kit.gateway.hasKey(old))
        #expect(kit.gateway.plansOf(old).isEmpty)
        #expect(kit.table["i"]?.previousKeyID == nil)
        #expect(kit.table["i"]?.previousKeyRetireAt == nil)
        #expect(kit.table["i"]?.keyID == rotated.keyID)
        #expect(kit.events.published.map(\.kind) == [.rotated, .retired])

        let again = try await kit.rotator.retire(retire, logger: kit.logger)
        #expect(again.result == .alreadyRetired)
        do {
            _ = try await kit.rotator.retire(WorkItem(action: .retire, itemID: "i", keyID: rotated.keyID), logger: kit.logger)
            Issue.record("the current key is never retired")
        } catch let error as APIKeyRotationError {
            #expect(error.code == .keyMismatch)
        }
        #expect(kit.gateway.hasKey(rotated.keyID))
    }

    @Test func aRotationDuringTheGraceIsRefusedAndAfterItRetiresFirst() async throws {
        let kit = RotationKit()
        let plan = kit.gateway.addPlan()
        let (item, old) = kit.addItem("i", plans: [plan])
        let first = try await kit.rotator.rotate(kit.rotateWork(item), logger: kit.logger)
        let next = WorkItem(action: .rotate, itemID: "i", keyID: first.keyID)
        await #expect(throws: APIKeyRotationError(.graceInProgress, "")) {
            do { _ = try await kit.rotator.rotate(next, logger: kit.logger) } catch let error as APIKeyRotationError { throw APIKeyRotationError(error.code, "") }
        }
        kit.clock.advance(hours: 25)
        let second = try await kit.rotator.rotate(next, logger: kit.logger)
        #expect(!kit.gateway.hasKey(old))
        #expect(kit.table["i"]?.previousKeyID == first.keyID)
        #expect(kit.table["i"]?.keyID == second.keyID)
        #expect(kit.orphanKeys.isEmpty)
    }

    @Test func twoDeliveriesAtOnceLeaveOneNewKey() async throws {
        let kit = RotationKit()
        let plan = kit.gateway.addPlan()
        let (item, old) = kit.addItem("i", plans: [plan])
        let rotator = kit.rotator, work = kit.rotateWork(item), logger = kit.logger
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { _ = try await rotator.rotate(work, logger: logger) } }
            try await group.waitForAll()
        }
        #expect(kit.orphanKeys.isEmpty)
        #expect(Set(kit.gateway.allKeys.map(\.stored.id)) == Set([old, kit.table["i"]?.keyID].compactMap { $0 }))
    }
}
