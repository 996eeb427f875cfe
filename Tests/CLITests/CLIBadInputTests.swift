import APIKeyRotation
import AWSServices
import Foundation
import KeyMaterial
import Testing
import TestSupport

/// The CLI given a secret, a distribution or a table that is not what it expects, against moto:
/// the read-only commands show what they can (never a crash), the commands that change things
/// refuse with a message that names the problem and a non-zero exit, and the emulator holds
/// afterwards exactly what it held before (read through the AWS APIs).
@Suite(.timeLimit(.minutes(5))) struct CLIBadInputTests {
    static func rotateArguments(_ scenario: OriginSecretScenario) -> [String] {
        ["origin", "rotate", "--secret-id", scenario.secretName, "--distribution-id", scenario.distributionIds.joined(separator: ","),
         "--run-steps-here", "--poll-interval", "0.05", "--timeout", "60", "--verifier-cache-ttl", "0", "--verifier-wait-margin", "0"]
    }

    @Test(arguments: [
        ("not JSON", "this is not JSON"),
        ("missing its key", #"{"OTHER_KEY":"x"}"#),
        ("the key of the wrong type", #"{"HTTP_API_KEY":12345}"#),
        ("truncated", #"{"HTTP_API_KEY":"abc"#),
    ])
    func originCommandsOnABrokenSecretSayWhatIsWrongAndChangeNothing(name: String, secretString: String) async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client)
        _ = try await SecretsManagerClient(client: client).putSecretValue(secretId: scenario.secretName, clientRequestToken: UUID().uuidString,
                                                                          secretString: secretString, versionStages: ["AWSCURRENT"])
        let environment = try CLIProcess.motoEnvironment(moto)
        let before = try await EmulatorState.capture(client, secrets: [scenario.secretName], distributions: scenario.distributionIds)
        // status shows what it can of such a secret (exit 0 or 1, never a crash); rotate refuses it.
        let status = try await CLIProcess.run(["origin", "status", "--secret-id", scenario.secretName], environment: environment)
        #expect([0, 1].contains(status.exitCode) && status.stdout.contains(scenario.secretName), "\(name): status reads it: \(status.exitCode)")
        let rotate = try await CLIProcess.run(Self.rotateArguments(scenario), environment: environment)
        #expect(rotate.exitCode != 0, "\(name): rotate fails")
        let said = rotate.stdout + rotate.stderr
        #expect(said.contains("FAILED") && (said.contains("HTTP_API_KEY") || said.contains("JSON")), "\(name): rotate says what is wrong: \(said)")
        let after = try await EmulatorState.capture(client, secrets: [scenario.secretName], distributions: scenario.distributionIds)
        #expect(after.differences(from: before).isEmpty, "\(name): nothing changed: \(after.differences(from: before))")
    }

    @Test func rotatingWhenADistributionLacksTheHeaderChangesNothing() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1, headerOnOrigins: false)
        let environment = try CLIProcess.motoEnvironment(moto)
        let before = try await EmulatorState.capture(client, secrets: [scenario.secretName], distributions: scenario.distributionIds)
        let result = try await CLIProcess.run(Self.rotateArguments(scenario), environment: environment)
        #expect(result.exitCode != 0)
        let said = result.stdout + result.stderr
        #expect(said.contains(scenario.headerName) && said.contains(scenario.distributionIds[0]), "names the header and the distribution: \(said)")
        let after = try await EmulatorState.capture(client, secrets: [scenario.secretName], distributions: scenario.distributionIds)
        #expect(after.differences(from: before).isEmpty, "no pending version, no distribution changed: \(after.differences(from: before))")
    }

    @Test func apiKeyCommandsReadPastBrokenItemsAndChangeNothing() async throws {
        let (moto, _) = try await CLITestKit.moto()
        let scenario = try await APIKeyScenario.make(moto: moto, indexed: false, itemCount: 1)
        let dynamoDB = DynamoDBClient(client: scenario.client)
        let old = RotationTimestamp.string(from: Date().addingTimeInterval(-40 * 86400))
        try await dynamoDB.putItem(table: scenario.tableName, item: ["itemID": .string("broken-no-key"), "updateTime": .string(old)])
        try await dynamoDB.putItem(table: scenario.tableName, item: ["itemID": .string("broken-number"), "APIGWKeyID": .number("7"), "updateTime": .string(old)])
        try await dynamoDB.putItem(table: scenario.tableName, item: ["itemID": .string("broken-time"), "APIGWKeyID": .string("k"), "updateTime": .string("soon")])
        let environment = try CLIProcess.motoEnvironment(moto)
        let before = try await EmulatorState.capture(scenario.client, tables: [scenario.tableName], apiKeys: scenario.items.map(\.keyID), usagePlans: scenario.planIDs)
        let status = try await CLIProcess.run(["apikeys", "status", "--table", scenario.tableName, "--json"], environment: environment)
        #expect([0, 1].contains(status.exitCode), "status reads past the broken items (1: it found problems): \(status.stderr)")
        let sweep = try await CLIProcess.run(["apikeys", "sweep", "--table", scenario.tableName, "--dry-run", "--json"], environment: environment)
        #expect([0, 1].contains(sweep.exitCode), "a dry run reads past them (1: it found problems): \(sweep.stderr)")
        for item in ["broken-no-key", "broken-number"] {
            let rotate = try await CLIProcess.run(["apikeys", "rotate", "--table", scenario.tableName, "--item", item], environment: environment)
            #expect(rotate.exitCode != 0, "\(item): refused")
            #expect((rotate.stdout + rotate.stderr).contains(item), "\(item): the error names the item: \(rotate.stderr)")
        }
        let after = try await EmulatorState.capture(scenario.client, tables: [scenario.tableName], apiKeys: scenario.items.map(\.keyID), usagePlans: scenario.planIDs)
        #expect(after.differences(from: before).isEmpty, "nothing changed: \(after.differences(from: before))")
    }
}
