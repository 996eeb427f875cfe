import APIKeyRotation
import AWSServices
import Foundation
import Testing
import TestSupport

extension APIKeyIntegration {
    /// Broken input to `apikey-rotate` and `apikey-sweep` through the real `bootstrap`, against moto
    /// with auth on: malformed, truncated, oversized and wrong-type events and records, and table
    /// items that miss attributes or hold the wrong types. Each is answered with an error (or a
    /// failed record) that names the problem, and the table, the keys and the plans are afterwards
    /// exactly as they were.
    @Suite(.timeLimit(.minutes(5))) struct APIKeyBadInputTests {
        static func state(_ scenario: APIKeyScenario) async throws -> EmulatorState {
            try await EmulatorState.capture(scenario.client, tables: [scenario.tableName], apiKeys: scenario.items.map(\.keyID), usagePlans: scenario.planIDs)
        }

        @Test func malformedEventsAndRecordsChangeNothing() async throws {
            let moto = try await MotoServer.shared()
            let scenario = try await APIKeyScenario.make(moto: moto, itemCount: 2)
            let (itemID, keyID) = scenario.items[0]
            let before = try await Self.state(scenario)
            try await APIKeyFunctions.withFunctions(scenario) { functions in
                let events: [(String, String)] = [
                    ("truncated", #"{"Records":[{"messageId":"m1","body":"{\"action\":\"rotate\""#),
                    ("not JSON", "rotate \(itemID)"),
                    ("null", "null"),
                    ("Records not an array", #"{"Records":{"messageId":"m1"}}"#),
                    ("direct event of wrong types", #"{"APIGWKeyID":7,"usagePlanID":["p"],"itemID":{"id":"\#(itemID)"}}"#),
                    ("direct event without the key", #"{"itemID":"\#(itemID)","usagePlanID":"\#(scenario.planIDs[0])"}"#),
                    ("oversized", #"{"APIGWKeyID":"\#(String(repeating: "k", count: 1 << 20))","itemID":"\#(itemID)"}"#),
                ]
                for (name, event) in events {
                    let outcome = try await functions.rotate.invoke(RuntimeAPIInvocation(event: Array(event.utf8), timeout: .seconds(60)))
                    let report = try #require(outcome.errorReport, "\(name): answered with an error, not \(outcome.responseText ?? "")")
                    #expect(report.errorType?.isEmpty == false && report.errorMessage?.isEmpty == false, "\(name): a typed error with a message")
                }
                // An SQS batch whose records are broken in every way: each record fails, by its id.
                let records: [(messageId: String, body: String)] = [
                    ("not-json", "rotate it"),
                    ("truncated", #"{"action":"rotate","itemID":"\#(itemID)""#),
                    ("wrong-types", #"{"action":"rotate","itemID":5,"keyID":["\#(keyID)"]}"#),
                    ("unknown-action", #"{"action":"delete","itemID":"\#(itemID)","keyID":"\#(keyID)"}"#),
                    ("unknown-item", #"{"action":"rotate","itemID":"no-such-item","keyID":"\#(keyID)"}"#),
                    ("wrong-key", #"{"action":"rotate","itemID":"\#(itemID)","keyID":"notTheKey"}"#),
                    ("empty", ""),
                ]
                let failed = try await functions.deliver(records: records)
                #expect(Set(failed) == Set(records.map(\.messageId)), "every broken record is named in batchItemFailures")
            }
            let after = try await Self.state(scenario)
            #expect(after.differences(from: before).isEmpty, "nothing changed: \(after.differences(from: before))")
        }

        @Test func itemsMissingAttributesOrOfTheWrongTypesAreNamedAndChangeNothing() async throws {
            let moto = try await MotoServer.shared()
            // A table without the indexes, as APIGateway-API-Key-Auto-Rotation's: DynamoDB refuses items whose
            // index keys have the wrong type, so only such a table can hold all of these.
            let scenario = try await APIKeyScenario.make(moto: moto, indexed: false, itemCount: 1)
            let dynamoDB = DynamoDBClient(client: scenario.client)
            let old = RotationTimestamp.string(from: Date().addingTimeInterval(-40 * 86400))
            let broken: [(String, DynamoDBItem)] = [
                ("no key id", ["itemID": .string("broken-no-key"), "usagePlanID": .string(scenario.planIDs[0]), "updateTime": .string(old)]),
                ("key id a number", ["itemID": .string("broken-number"), "APIGWKeyID": .number("12345"), "usagePlanID": .string(scenario.planIDs[0]), "updateTime": .string(old)]),
                ("plan a list, key gone", ["itemID": .string("broken-plan"), "APIGWKeyID": .string("someKeyId"), "usagePlanID": .list([.string("p")]), "updateTime": .string(old)]),
            ]
            // Items the sweep cannot date: a rotation asked for by hand is fine, the sweep must not guess.
            let undated: [DynamoDBItem] = [
                ["itemID": .string("undated-text"), "APIGWKeyID": .string("keyOfUndatedText"), "usagePlanID": .string(scenario.planIDs[0]), "updateTime": .string("last tuesday")],
                ["itemID": .string("undated-number"), "APIGWKeyID": .string("keyOfUndatedNumber"), "usagePlanID": .string(scenario.planIDs[0]), "updateTime": .number("1700000000")],
            ]
            for item in broken.map(\.1) + undated { try await dynamoDB.putItem(table: scenario.tableName, item: item) }
            try await APIKeyFunctions.withFunctions(scenario) { functions in
                // Rotating each broken item directly: an error that names the item, nothing changed.
                for (name, item) in broken {
                    let before = try await Self.state(scenario)
                    let itemID = item["itemID"]?.stringValue ?? ""
                    let work = #"{"action":"rotate","itemID":"\#(itemID)","keyID":"\#(item["APIGWKeyID"]?.stringValue ?? "x")"}"#
                    let failed = try await functions.deliver(records: [("m", work)])
                    #expect(failed == ["m"], "\(name): the record fails")
                    #expect(functions.rotate.standardOutput.contains(itemID), "\(name): the log names the item")
                    let after = try await Self.state(scenario)
                    #expect(after.differences(from: before).isEmpty, "\(name): nothing changed: \(after.differences(from: before))")
                }
                // The sweep reads past them all: the one good item is due, the others are not queued.
                let before = try await Self.state(scenario)
                let report = try await functions.runSweep()
                #expect(try await Self.state(scenario).differences(from: before).isEmpty, "the sweep changed nothing")
                #expect(report["due"] as? Int == 1, "only the well-formed item is due: \(report)")
                #expect(report["queued"] as? Int == 1)
            }
        }
    }
}
