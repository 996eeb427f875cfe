import APIKeyRotation
import AWSServices
import Foundation
import Testing
import TestSupport

extension APIKeyIntegration {
    /// Work done twice at the same time, through the real `bootstrap` against moto with IAM auth on:
    /// two sweeps at once (both queue the same items) and one item delivered to two rotate
    /// functions at once (SQS delivers at least once). Each ends with one new key per item, the old
    /// key alive in all its plans, and no orphan key.
    @Suite(.timeLimit(.minutes(6))) struct APIKeyConcurrencyTests {
        @Test func twoSweepsAtOnceRotateEachItemOnce() async throws {
            let moto = try await MotoServer.shared()
            let scenario = try await APIKeyScenario.make(moto: moto, itemCount: 6, plans: 2)
            try await RuntimeAPIEmulator.with(handler: "apikey-sweep", environment: scenario.environment()) { second in
                try await APIKeyFunctions.withFunctions(scenario) { functions in
                    async let first = functions.runSweep()
                    async let other = second.invoke(RuntimeAPIInvocation(event: Array("{}".utf8), timeout: .seconds(900)), timeout: .seconds(300))
                    let (report, otherOutcome) = try await (first, other)
                    #expect(report["due"] as? Int == 6)
                    #expect(otherOutcome.responseText != nil, "the second sweep answers too: \(otherOutcome)")
                    // Both may queue every item: each duplicate must end as "already rotated".
                    var failures: [String] = []
                    for _ in 0..<3 {
                        failures = try await functions.deliverQueue()
                        if failures.isEmpty { break }
                    }
                    #expect(failures.isEmpty, "every queued message succeeds, duplicates included")
                }
            }
            try await Self.expectEachItemRotatedOnce(scenario)
        }

        @Test func oneItemDeliveredToTwoRotateFunctionsAtOnceEndsWithOneNewKey() async throws {
            let moto = try await MotoServer.shared()
            let scenario = try await APIKeyScenario.make(moto: moto, itemCount: 3, plans: 2)
            try await RuntimeAPIEmulator.with(handler: "apikey-rotate", environment: scenario.environment()) { other in
                try await APIKeyFunctions.withFunctions(scenario) { functions in
                    for index in scenario.items.indices {
                        let body = APIKeyFaultTests.queuedWork(scenario, item: index, action: .rotate, keyID: scenario.items[index].keyID)
                        let twin = APIKeyFunctions(sweep: functions.sweep, rotate: other, scenario: scenario)
                        async let first = functions.deliver(records: [("m-\(index)", body)])
                        async let second = twin.deliver(records: [("m-\(index)", body)])
                        let (firstFailed, secondFailed) = try await (first, second)
                        // One wins; the other converges, or fails and SQS redelivers it.
                        if !(firstFailed.isEmpty && secondFailed.isEmpty) {
                            #expect(try await functions.deliver(records: [("m-\(index)", body)]).isEmpty, "item \(index): the redelivery converges")
                        }
                    }
                }
            }
            try await Self.expectEachItemRotatedOnce(scenario)
        }

        /// Every item names one new key in every plan, keeps its old key alive for the grace, and
        /// the scenario has no key that no item names.
        static func expectEachItemRotatedOnce(_ scenario: APIKeyScenario) async throws {
            for (index, (itemID, old)) in scenario.items.enumerated() {
                let item = try #require(try await scenario.item(itemID))
                let new = try #require(item["APIGWKeyID"]?.stringValue)
                #expect(new != old, "item \(index) was rotated")
                #expect(item["previousAPIGWKeyID"]?.stringValue == old, "item \(index) keeps its old key for the grace")
                #expect(item["rotatingFromKeyID"] == nil, "item \(index) is not left mid-rotation")
                #expect(Set(try await scenario.keys(ofItem: index).map(\.id)) == [old, new], "item \(index): one new key, the old one alive")
                #expect(try await scenario.plans(of: new) == scenario.planIDs, "item \(index): the new key is in every plan")
                #expect(try await scenario.plans(of: old) == scenario.planIDs, "item \(index): the old key is still in every plan")
            }
            #expect(try await scenario.orphanKeys().isEmpty, "no orphan keys")
        }
    }
}
