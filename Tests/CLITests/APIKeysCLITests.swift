import APIKeyRotation
import AWSServices
import Foundation
import Testing
import TestSupport

/// `keyrotator apikeys status|sweep|rotate` as a user runs them, against moto with auth on.
@Suite(.timeLimit(.minutes(4))) struct APIKeysCLITests {
    @Test func statusCountsItemsByStateAndShowsTheHeadroom() async throws {
        let moto = try await MotoServer.shared()
        let scenario = try await APIKeyScenario.make(moto: moto, itemCount: 2)
        try await scenario.age(scenario.items[1].itemID, updateTimeDaysAgo: 2)
        let environment = try CLIProcess.motoEnvironment(moto)
        let result = try await CLIProcess.run(["apikeys", "status", "--table", scenario.tableName, "--json"], environment: environment)
        #expect(result.exitCode == 0, "\(result)")
        let json = try result.json()
        #expect(json["items"] as? Int == 2)
        #expect(json["overdue"] as? Int == 1)
        #expect(json["current"] as? Int == 1)
        #expect(json["mode"] as? String == "index")
        #expect((json["keyHeadroom"] as? Int).map { $0 > 0 && $0 < 10_000 } == true)
        #expect(json["nextDue"] is String)

        let text = try await CLIProcess.run(["apikeys", "status", "--table", scenario.tableName], environment: environment)
        #expect(text.stdout.contains("overdue"))
        #expect(text.stdout.contains("headroom"))
    }

    @Test func sweepDryRunListsTheWorkAndChangesNothing() async throws {
        let moto = try await MotoServer.shared()
        let scenario = try await APIKeyScenario.make(moto: moto, indexed: false, itemCount: 2)
        let environment = try CLIProcess.motoEnvironment(moto)
        let result = try await CLIProcess.run(["apikeys", "sweep", "--table", scenario.tableName, "--dry-run", "--json"], environment: environment)
        #expect(result.exitCode == 0, "\(result)")
        let json = try result.json()
        #expect(json["mode"] as? String == "scan")
        #expect(json["queued"] as? Int == 0)
        let work = (json["work"] as? [[String: Any]]) ?? []
        #expect(Set(work.compactMap { $0["itemID"] as? String }) == Set(scenario.items.map(\.itemID)))
        #expect(result.stderr.contains("items read"), "progress on stderr")
        for (itemID, keyID) in scenario.items {
            #expect(try await scenario.item(itemID)?["APIGWKeyID"]?.stringValue == keyID, "a dry run changes nothing")
        }
        let usage = try await CLIProcess.run(["apikeys", "sweep", "--table", scenario.tableName], environment: environment)
        #expect(usage.exitCode == 2)
    }

    @Test func rotateOneItemHereAndNowWithoutPrintingAValue() async throws {
        let moto = try await MotoServer.shared()
        let scenario = try await APIKeyScenario.make(moto: moto)
        let (itemID, old) = scenario.items[0]
        let environment = try CLIProcess.motoEnvironment(moto)
        let result = try await CLIProcess.run(["apikeys", "rotate", "--table", scenario.tableName, "--item", itemID, "--json"], environment: environment)
        #expect(result.exitCode == 0, "\(result)")
        let json = try result.json()
        #expect(json["outcome"] as? String == "rotated")
        let new = try #require(json["APIGWKeyID"] as? String)
        #expect(json["previousAPIGWKeyID"] as? String == old)
        let newValue = try await APIGatewayClient(client: scenario.client).getApiKey(id: new, includeValue: true).value ?? ""
        let leaked = result.stdout.contains(newValue) || result.stderr.contains(newValue)
        #expect(!leaked, "no key value is printed")
        #expect(try await scenario.item(itemID)?["APIGWKeyID"]?.stringValue == new)

        let unknown = try await CLIProcess.run(["apikeys", "rotate", "--table", scenario.tableName, "--item", "nobody"], environment: environment)
        #expect(unknown.exitCode == 3)
        #expect(unknown.stderr.hasPrefix("keyrotator: error: ") && unknown.stderr.contains("nobody"))
        let missingTable = try await CLIProcess.run(["apikeys", "status", "--table", "no-such-table"], environment: environment)
        #expect(missingTable.exitCode == 3)
        #expect(missingTable.stderr.contains("no-such-table"))
    }

    @Test func aSeedItemWhoseKeyIsGoneIsReportedAndRepairedOnPurpose() async throws {
        let moto = try await MotoServer.shared()
        let scenario = try await APIKeyScenario.make(moto: moto)
        let (itemID, old) = scenario.items[0]
        // What seed 002 leaves when it fails between its delete and its create.
        try await APIGatewayClient(client: scenario.client).deleteApiKey(id: old)
        let environment = try CLIProcess.motoEnvironment(moto)
        let status = try await CLIProcess.run(["apikeys", "status", "--table", scenario.tableName], environment: environment)
        #expect(status.exitCode == 1)
        #expect(status.stdout.contains("--replace-missing-key"))
        let refused = try await CLIProcess.run(["apikeys", "rotate", "--table", scenario.tableName, "--item", itemID], environment: environment)
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("KeyMissing") && refused.stderr.contains("--replace-missing-key"))
        let repaired = try await CLIProcess.run(["apikeys", "rotate", "--table", scenario.tableName, "--item", itemID, "--replace-missing-key", "--json"], environment: environment)
        #expect(repaired.exitCode == 0, "\(repaired)")
        let new = try #require(try repaired.json()["APIGWKeyID"] as? String)
        #expect(try await scenario.keyExists(new))
        #expect(try await scenario.item(itemID)?["APIGWKeyID"]?.stringValue == new)
    }
}
