import AWSServices
import Foundation
import InMemoryLogging
import KeyMaterial
import KeyRotation
import Logging
import Testing
import TestSupport

/// The four rotation steps against moto with authentication on, run in process.
@Suite(.timeLimit(.minutes(5))) struct CloudFrontRotationTests {
    @Test(arguments: [1, 2])
    func aFullRotationChangesOnlyTheHeaderValue(distributions: Int) async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup, distributions: distributions, originsPerDistribution: 2)
        let before = try #require(try await kit.currentVersion(scenario))
        let token = try await scenario.startRotation(kit.setup)
        let logs = InMemoryLogHandler()
        try await RotationTestKit.run(try kit.rotator(scenario), scenario, token: token, logger: logs.logger())
        try await kit.expectRotated(scenario, token: token, previousVersion: before)

        let newValue = try #require(try await SecretsManagerClient(client: kit.setup).getSecretValue(secretId: scenario.secretName).secretString)
        let oldLogged = logs.text.contains(scenario.initialValue)
        #expect(!oldLogged, "the old value is never logged")
        let document = try SecretDocument(secretString: newValue, secretId: scenario.secretName)
        let value = try #require(document.value(forKey: "HTTP_API_KEY"))
        let newLogged = logs.text.contains(value)
        #expect(!newLogged, "the new value is never logged")
        #expect(logs.text.contains("sha256:\(fingerprint(value))"), "its fingerprint is")
        #expect(logs.text.contains("step=setSecret") && logs.text.contains("distributions=\(scenario.distributionIds.joined(separator: ","))"))
        #expect(logs.entries.contains { $0.level == .notice && "\($0.message)".contains("ORIGIN_URL is not set: the origin was not probed") },
                "without ORIGIN_URL, testSecret says the origin was not probed")
    }

    @Test func rotateImmediatelyFalseTestsACopyOfTheCurrentValue() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup)
        let sm = SecretsManagerClient(client: kit.setup)
        let current = try await sm.getSecretValue(secretId: scenario.secretName)
        let token = try await scenario.startRotation(kit.setup)
        // What Secrets Manager does with RotateImmediately=false: the pending version holds a copy
        // of the current value, and only testSecret is called.
        try await sm.putSecretValue(secretId: scenario.secretName, clientRequestToken: token, secretString: current.secretString ?? "", versionStages: ["AWSPENDING"])
        try await TestOrigin.with(accepting: [scenario.initialValue]) { origin in
            try await RotationTestKit.run(try kit.rotator(scenario, originURL: origin.endpoint), scenario, token: token, steps: [.testSecret])
            #expect(try await kit.currentVersion(scenario) == current.versionId, "testSecret never moves a label")
        }
    }

    /// Users keep other fields in the same secret: a rotation rewrites only SECRET_KEY_NAME's value,
    /// every other member keeps its literal JSON text (big integers, trailing zeros, -0.0, escapes).
    @Test func theSecretsOtherMembersKeepTheirExactText() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup)
        let sm = SecretsManagerClient(client: kit.setup)
        let template = #"{ "id": 12345678901234567890, "price": 1.10, "HTTP_API_KEY": "VALUE", "nested": {"a": [2.50, -0.0, 1E+2]}, "u": "caf\u00e9 \ud83d\ude00", "n": null, "t": true }"#
        func text(_ value: String) -> String {
            let parts = template.split(separator: "VALUE", omittingEmptySubsequences: false)
            return parts.joined(separator: value)
        }
        try await sm.putSecretValue(secretId: scenario.secretName, clientRequestToken: UUID().uuidString, secretString: text(scenario.initialValue),
                                    versionStages: ["AWSCURRENT"])
        let token = try await scenario.startRotation(kit.setup)
        try await RotationTestKit.run(try kit.rotator(scenario), scenario, token: token)

        let rotated = try #require(try await sm.getSecretValue(secretId: scenario.secretName).secretString)
        let newValue = try #require(try SecretDocument(parsing: rotated).value(forKey: "HTTP_API_KEY"))
        #expect(fingerprint(newValue) != fingerprint(scenario.initialValue))
        let exact = rotated == text(newValue)
        #expect(exact, "only the value under HTTP_API_KEY changed, byte for byte")
    }
}
