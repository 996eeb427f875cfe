import APIKeyRotation
import AWSCore
import AWSServices
import Foundation
import LocalEmulator
import Testing
import TestSupport

extension APIKeyIntegration {
    /// `apikey-sweep` and `apikey-rotate` through the real `bootstrap` against moto with IAM auth on.
    @Suite(.timeLimit(.minutes(5))) struct APIKeyFunctionTests {
        @Test func theWholeLifeOfAKeyCreateAttachRecordGraceRetire() async throws {
            let moto = try await MotoServer.shared()
            try await KeyLifecycle.run(try await APIKeyScenario.make(moto: moto, itemCount: 3, plans: 2))
        }

        @Test func aSeedTableWithoutTheIndexAndPastOneMegabyteIsScannedToTheEnd() async throws {
            let moto = try await MotoServer.shared()
            let scenario = try await APIKeyScenario.make(moto: moto, indexed: false, itemCount: 2)
            // 300 fresh items of 4 KB: DynamoDB (and moto) answer a Scan in pages of 1 MB.
            let padding = String(repeating: "x", count: 4000)
            let fresh = RotationTimestamp.string(from: Date())
            let dynamoDB = DynamoDBClient(client: scenario.client)
            for batch in stride(from: 0, to: 300, by: 25) {
                try await dynamoDB.batchPut(table: scenario.tableName, items: (batch..<batch + 25).map { index in
                    ["itemID": .string("fresh-\(index)"), "APIGWKeyID": .string("notDue\(index)"), "usagePlanID": .string(scenario.planIDs[0]),
                     "updateTime": .string(fresh), "padding": .string(padding)]
                })
            }
            let firstPage = try await dynamoDB.scanPage(table: scenario.tableName)
            #expect(firstPage.next != nil, "the table is past one Scan page")

            try await APIKeyFunctions.withFunctions(scenario) { functions in
                let report = try await functions.runSweep()
                #expect(report["mode"] as? String == "scan")
                #expect(report["read"] as? Int == 302)
                #expect(report["due"] as? Int == 2)
                #expect(report["queued"] as? Int == 2)
                #expect(functions.sweep.standardOutput.contains("table has no rotation index: scanning every item"))
                #expect(try await functions.deliverQueue().isEmpty)
            }
            for (itemID, old) in scenario.items {
                #expect(try await scenario.item(itemID)?["APIGWKeyID"]?.stringValue != old)
            }
        }

        @Test func theSeedsDirectEventRotatesAndAnswersIdsOnly() async throws {
            let moto = try await MotoServer.shared()
            let scenario = try await APIKeyScenario.make(moto: moto)
            let (itemID, old) = scenario.items[0]
            let oldValue = try #require(try await scenario.item(itemID)?["APIKeyValue"]?.stringValue)
            try await APIKeyFunctions.withFunctions(scenario) { functions in
                let event = #"{"APIGWKeyID":"\#(old)","usagePlanID":"\#(scenario.planIDs[0])","itemID":"\#(itemID)"}"#
                let answer = try #require(try await functions.rotate.invoke(json: event).responseText)
                let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any])
                #expect(object["outcome"] as? String == "rotated")
                let new = try #require(object["APIGWKeyID"] as? String)
                let newValue = try await APIGatewayClient(client: scenario.client).getApiKey(id: new, includeValue: true).value ?? ""
                #expect(!answer.contains(newValue) && !answer.contains(oldValue), "the answer holds no key value")
                #expect(!functions.rotate.standardOutput.contains(newValue), "nor does the log")
                let item = try #require(try await scenario.item(itemID))
                let valueStored = item["APIKeyValue"] != nil
                #expect(!valueStored, "the value is not written to the table")
                #expect(item["previousAPIGWKeyID"]?.stringValue == old)

                let unknown = try await functions.rotate.invoke(json: #"{"APIGWKeyID":"\#(old)","usagePlanID":"p","itemID":"no-such-item"}"#)
                #expect(unknown.errorReport?.errorType == "KeyRotator.UnknownItem")
                let wrongKey = try await functions.rotate.invoke(json: #"{"APIGWKeyID":"notTheKey","usagePlanID":"p","itemID":"\#(itemID)"}"#)
                #expect(wrongKey.errorReport?.errorType == "KeyRotator.KeyMismatch")
                let againOutcome = try await functions.rotate.invoke(json: event)
                let again = try #require(againOutcome.responseText, "\(againOutcome)")
                #expect(again.contains(#""outcome":"alreadyRotated""#), "the same event again changes nothing")
            }
            #expect(try await scenario.orphanKeys().isEmpty)
        }

        @Test func withAnEventBusEachRotationAndRetirementIsPublishedWithIdsOnly() async throws {
            let moto = try await MotoServer.shared()
            let scenario = try await APIKeyScenario.make(moto: moto)
            let (itemID, old) = scenario.items[0]
            let oldValue = try #require(try await scenario.item(itemID)?["APIKeyValue"]?.stringValue)
            let bus = "keys-\(UUID().uuidString.prefix(8))"
            _ = try await EventBridgeClient(client: scenario.client).createEventBus(name: bus)
            try await FaultProxy.with(upstream: moto) { proxy in
                try await APIKeyFunctions.withFunctions(scenario, environment: scenario.environment(endpoint: proxy.endpoint, extra: ["EVENT_BUS_NAME": bus])) { functions in
                    _ = try await functions.runSweep()
                    #expect(try await functions.deliverQueue().isEmpty)
                    try await scenario.age(itemID, graceEndedHoursAgo: 1)
                    _ = try await functions.runSweep()
                    #expect(try await functions.deliverQueue().isEmpty)
                }
                let new = try #require(try await scenario.item(itemID)?["APIGWKeyID"]?.stringValue)
                let newValue = try await APIGatewayClient(client: scenario.client).getApiKey(id: new, includeValue: true).value ?? ""
                let bodies = proxy.requests.filter { $0.target == "AWSEvents.PutEvents" }.map(\.bodyString)
                #expect(bodies.count == 2, "one event per rotation and per retirement")
                #expect(bodies.first?.contains("API Key Rotated") == true && bodies.first?.contains(old) == true && bodies.first?.contains(new) == true)
                #expect(bodies.last?.contains("API Key Retired") == true && bodies.last?.contains(bus) == true)
                let leaked = bodies.contains { $0.contains(oldValue) || $0.contains(newValue) }
                #expect(!leaked, "events carry ids, never a key value")
            }
        }

        @Test func anSQSBatchNamesExactlyTheRecordsThatFailed() async throws {
            let moto = try await MotoServer.shared()
            let scenario = try await APIKeyScenario.make(moto: moto, itemCount: 2)
            try await APIKeyFunctions.withFunctions(scenario) { functions in
                let good = scenario.items.map { #"{"action":"rotate","itemID":"\#($0.itemID)","keyID":"\#($0.keyID)"}"# }
                let failed = try await functions.deliver(records: [
                    ("m-good-0", good[0]), ("m-not-json", "rotate everything"), ("m-unknown", #"{"action":"rotate","itemID":"ghost","keyID":"k"}"#),
                    ("m-good-1", good[1]), ("m-wrong-type", #"{"itemID":7,"keyID":"k"}"#),
                ])
                #expect(failed == ["m-not-json", "m-unknown", "m-wrong-type"])
            }
            for (itemID, old) in scenario.items {
                #expect(try await scenario.item(itemID)?["previousAPIGWKeyID"]?.stringValue == old)
            }
        }

        @Test func withOnlyTheSeedsRotationLambdaArnTheSweepFailsAtInitNamingTheQueue() async throws {
            let moto = try await MotoServer.shared()
            var environment = moto.environment()
            environment["TABLE_NAME"] = "seed-table"
            environment["ROTATION_LAMBDA_ARN"] = "arn:aws:lambda:us-east-1:123456789012:function:rotationLambda"
            try await RuntimeAPIEmulator.with(handler: "apikey-sweep", environment: environment) { lambda in
                let report = try await lambda.initError()
                #expect(report.errorType == "KeyRotator.InvalidConfiguration")
                #expect(report.errorMessage?.contains("ROTATION_QUEUE_URL") == true)
            }
        }
    }
}

/// The life of every key of a scenario through both functions: sweep, rotate, grace, retire.
enum KeyLifecycle {
    static func run(_ scenario: APIKeyScenario) async throws {
        try await APIKeyFunctions.withFunctions(scenario) { functions in
            let first = try await functions.runSweep()
            #expect(first["queued"] as? Int == scenario.items.count)
            #expect(first["mode"] as? String == "index")
            #expect(first["read"] as? Int == scenario.items.count, "with the index the sweep reads only the items with work")
            #expect(try await functions.deliverQueue().isEmpty)

            var newKeys: [String: String] = [:]
            for (itemID, old) in scenario.items {
                let item = try #require(try await scenario.item(itemID))
                let new = try #require(item["APIGWKeyID"]?.stringValue)
                newKeys[itemID] = new
                #expect(new != old)
                #expect(item["previousAPIGWKeyID"]?.stringValue == old)
                let valueStored = item["APIKeyValue"] != nil
                #expect(!valueStored, "the seed's plain-text value is removed, not left stale")
                let updateTime = try #require(item["updateTime"]?.stringValue)
                #expect(updateTime.count == 24 && updateTime.hasSuffix("Z") && updateTime.dropFirst(19).hasPrefix("."), "updateTime as toISOString writes it")
                #expect(try await scenario.plans(of: new) == scenario.planIDs, "the new key is in every plan")
                #expect(try await scenario.keyExists(old), "the old key works during the grace")
                #expect(try await scenario.plans(of: old) == scenario.planIDs)
            }
            let during = try await functions.runSweep()
            #expect(during["queued"] as? Int == 0, "nothing to do during the grace")

            for (itemID, _) in scenario.items { try await scenario.age(itemID, graceEndedHoursAgo: 1) }
            let after = try await functions.runSweep()
            #expect(after["retiring"] as? Int == scenario.items.count)
            #expect(try await functions.deliverQueue().isEmpty)
            for (itemID, old) in scenario.items {
                #expect(try await !scenario.keyExists(old), "the old key is deleted after its grace")
                let item = try #require(try await scenario.item(itemID))
                #expect(item["previousAPIGWKeyID"] == nil && item["previousKeyRetireAt"] == nil)
                #expect(item["APIGWKeyID"]?.stringValue == newKeys[itemID])
                #expect(try await scenario.keyExists(newKeys[itemID] ?? ""))
            }
            #expect(try await scenario.orphanKeys().isEmpty)
            let summary = functions.sweep.standardOutputLines.last { $0.contains("sweep finished") } ?? ""
            for count in ["read", "due", "retiring", "queued"] { #expect(summary.contains(count), "the sweep's log ends with \(count)") }

            // Both functions wrote their counts as EMF documents, dimensioned by the function.
            let n = Double(scenario.items.count)
            let sweepDocuments = try EMFDocument.all(in: functions.sweep.standardOutput)
            #expect(EMFDocument.total(APIKeyMetrics.Name.itemsQueued, in: sweepDocuments) == 2 * n, "n rotations and n retirements queued")
            #expect(EMFDocument.total(APIKeyMetrics.Name.itemsDue, in: sweepDocuments) == n)
            #expect(EMFDocument.total(APIKeyMetrics.Name.itemsRetiring, in: sweepDocuments) == n)
            #expect(EMFDocument.samples(APIKeyMetrics.Name.keyHeadroom, in: sweepDocuments) == 3, "one headroom per sweep")
            #expect(sweepDocuments.allSatisfy { $0.dimensions["Function"] == "apikey-sweep" })
            let rotateDocuments = try EMFDocument.all(in: functions.rotate.standardOutput)
            #expect(EMFDocument.total(APIKeyMetrics.Name.rotated, in: rotateDocuments) == n)
            #expect(EMFDocument.total(APIKeyMetrics.Name.retired, in: rotateDocuments) == n)
            #expect(EMFDocument.total(APIKeyMetrics.Name.failed, in: rotateDocuments) == 0)
            #expect(rotateDocuments.allSatisfy { $0.dimensions["Function"] == "apikey-rotate" })
        }
    }
}
