import APIKeyRotation
import AWSCore
import Foundation
import KeyMaterial
import Testing
import TestSupport

/// Every AWS call of a rotation and of a retirement failing before it takes effect or after (its
/// answer lost), then the work re-run as SQS would: the end state is always the same.
@Suite struct CrashInjectionTests {
    /// The calls a clean run makes, in order, as (operation, its n-th call), for store and table.
    static func callsOfCleanRun(storeKeyValue: Bool) async throws -> (store: [(String, Int)], table: [(String, Int)]) {
        var kit = RotationKit()
        kit.configuration.storeKeyValue = storeKeyValue
        let (item, _) = kit.addItem("i", plans: [kit.gateway.addPlan("a"), kit.gateway.addPlan("b", hasQuota: true)])
        _ = try await kit.rotator.rotate(kit.rotateWork(item), logger: kit.logger)
        return (numbered(kit.gateway.calls), numbered(kit.table.calls))
    }

    static func numbered(_ calls: [String]) -> [(String, Int)] {
        var seen: [String: Int] = [:]
        return calls.map { call in
            seen[call, default: 0] += 1
            return (call, seen[call] ?? 1)
        }
    }

    @Test(arguments: [false, true])
    func aRotationReRunAfterAnyFailedCallConverges(storeKeyValue: Bool) async throws {
        let (storeCalls, tableCalls) = try await Self.callsOfCleanRun(storeKeyValue: storeKeyValue)
        #expect(storeCalls.count >= 5 && tableCalls.count >= 3)
        var cases = 0
        for point in [InMemoryAPIGateway.FaultPoint.before, .after] {
            for (operation, number) in storeCalls {
                try await Self.runWithFault(storeKeyValue: storeKeyValue) { kit in kit.gateway.injectFault(operation, at: point, callNumber: number) }
                cases += 1
            }
            for (operation, number) in tableCalls {
                try await Self.runWithFault(storeKeyValue: storeKeyValue) { kit in kit.table.injectFault(operation, at: point, callNumber: number) }
                cases += 1
            }
        }
        #expect(cases == 2 * (storeCalls.count + tableCalls.count))
    }

    static func runWithFault(storeKeyValue: Bool, _ inject: (RotationKit) -> Void) async throws {
        var kit = RotationKit()
        kit.configuration.storeKeyValue = storeKeyValue
        let (item, old) = kit.addItem("i", plans: [kit.gateway.addPlan("a"), kit.gateway.addPlan("b", hasQuota: true)])
        kit.gateway.setRemaining(7, keyID: old, planID: "b")
        inject(kit)
        var outcome: RotationOutcome?
        for _ in 0..<3 where outcome == nil {
            outcome = try? await kit.rotator.rotate(kit.rotateWork(item), logger: kit.logger)
        }
        let done = try #require(outcome, "a redelivery converges")
        let recorded = try #require(kit.table["i"])
        #expect(recorded.keyID == done.keyID)
        #expect(recorded.previousKeyID == old)
        #expect(recorded.rotatingFromKeyID == nil)
        #expect(kit.orphanKeys.isEmpty, "no orphan keys")
        #expect(kit.gateway.allKeys.count == 2, "one new key, the old one alive")
        #expect(kit.gateway.plansOf(old) == ["a", "b"])
        #expect(kit.gateway.plansOf(done.keyID) == ["a", "b"])
        #expect(kit.gateway.remaining(keyID: done.keyID, planID: "b") == 7)
        if storeKeyValue {
            #expect(kit.table.storedValue("i").map(fingerprint) == kit.gateway.valueOf(done.keyID).map(fingerprint))
        }
        #expect(!kit.events.published.isEmpty, "the rotation was published at least once")
        #expect(!kit.logsHoldAValue)
    }

    @Test func aRetirementReRunAfterAnyFailedCallConverges() async throws {
        let operations: [(store: Bool, operation: String, number: Int)] = [
            (false, "GetItem", 1), (true, "GetApiKey", 1), (true, "GetUsagePlans", 1), (true, "DeleteUsagePlanKey", 1),
            (true, "DeleteUsagePlanKey", 2), (true, "DeleteApiKey", 1), (false, "UpdateItem", 1),
        ]
        for point in [InMemoryAPIGateway.FaultPoint.before, .after] {
            for (isStore, operation, number) in operations {
                let kit = RotationKit()
                let (item, old) = kit.addItem("i", plans: [kit.gateway.addPlan("a"), kit.gateway.addPlan("b")])
                let rotated = try await kit.rotator.rotate(kit.rotateWork(item), logger: kit.logger)
                kit.clock.advance(hours: 24)
                let gatewayBase = kit.gateway.calls.filter { $0 == operation }.count
                let tableBase = kit.table.calls.filter { $0 == operation }.count
                if isStore { kit.gateway.injectFault(operation, at: point, callNumber: gatewayBase + number) } else { kit.table.injectFault(operation, at: point, callNumber: tableBase + number) }
                let work = WorkItem(action: .retire, itemID: "i", keyID: old)
                var outcome: RotationOutcome?
                for _ in 0..<3 where outcome == nil { outcome = try? await kit.rotator.retire(work, logger: kit.logger) }
                #expect(outcome != nil, "\(operation) #\(number) \(point): the retirement converges")
                #expect(!kit.gateway.hasKey(old))
                #expect(kit.gateway.hasKey(rotated.keyID))
                #expect(kit.table["i"]?.previousKeyID == nil)
                #expect(kit.gateway.allKeys.count == 1)
            }
        }
    }
}
