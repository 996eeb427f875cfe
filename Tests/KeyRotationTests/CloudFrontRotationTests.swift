import AWSServices
import Foundation
import KeyRotation
import Logging
import Testing
import TestSupport

/// The four rotation steps against moto with authentication on, run in process.
@Suite struct CloudFrontRotationTests {
    @Test(arguments: [1, 2])
    func aFullRotationChangesOnlyTheHeaderValue(distributions: Int) async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup, distributions: distributions, originsPerDistribution: 2)
        let before = try #require(try await kit.currentVersion(scenario))
        let token = try await scenario.startRotation(kit.setup)
        let logs = CapturedLogs()
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
        #expect(logs.lines.contains { $0.level == .notice && $0.message.contains("ORIGIN_URL is not set: the origin was not probed") },
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
        let origin = try await TestOrigin.start(accepting: [scenario.initialValue])
        defer { Task { await origin.shutdown() } }
        try await RotationTestKit.run(try kit.rotator(scenario, originURL: origin.endpoint), scenario, token: token, steps: [.testSecret])
        #expect(try await kit.currentVersion(scenario) == current.versionId, "testSecret never moves a label")
    }
}
