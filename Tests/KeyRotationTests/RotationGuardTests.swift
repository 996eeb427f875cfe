import AWSServices
import Foundation
import KeyMaterial
import KeyRotation
import Logging
import Testing
import TestSupport

/// Steps that must change nothing: a secret whose rotation is not enabled, or was cancelled while a
/// rotation was under way. Only the operator's break-glass path rotates such a secret.
@Suite(.timeLimit(.minutes(2))) struct RotationGuardTests {
    /// The distributions' configurations as bytes, to compare before and after.
    private func configurations(_ kit: RotationTestKit, _ scenario: OriginSecretScenario) async throws -> [[UInt8]] {
        var result: [[UInt8]] = []
        for id in scenario.distributionIds {
            result.append(try await CloudFrontClient(client: kit.setup).getDistributionConfig(id: id).config.xmlBytes)
        }
        return result
    }

    @Test func aStepForASecretWithoutRotationEnabledChangesNothing() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup)
        let sm = SecretsManagerClient(client: kit.setup)
        // Someone staged a pending value by hand; rotation was never turned on.
        let token = UUID().uuidString
        var document = try SecretDocument(parsing: try #require(try await sm.getSecretValue(secretId: scenario.secretName).secretString))
        document.setValue("PendingValueNobodyAskedToRotate0", forKey: "HTTP_API_KEY")
        try await sm.putSecretValue(secretId: scenario.secretName, clientRequestToken: token, secretString: document.secretString, versionStages: ["AWSPENDING"])
        let before = try await configurations(kit, scenario)

        for step in RotationStep.allCases {
            await #expect(throws: RotationError.self) {
                try await RotationTestKit.run(try kit.rotator(scenario), scenario, token: token, steps: [step])
            }
            do {
                try await RotationTestKit.run(try kit.rotator(scenario), scenario, token: token, steps: [step])
            } catch let error as RotationError {
                #expect(error.code == .rotationNotEnabled)
                #expect(error.message.contains("does not have rotation enabled") && error.message.contains("--run-steps-here"))
            }
        }
        let unchanged = try await configurations(kit, scenario) == before
        #expect(unchanged, "no distribution was changed")
        let stages = try await sm.describeSecret(secretId: scenario.secretName).versionIdsToStages?[token]
        #expect(stages == ["AWSPENDING"], "the pending version was not promoted")
    }

    @Test func stepsAfterCancelRotateSecretChangeNothing() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup)
        let sm = SecretsManagerClient(client: kit.setup)
        let current = try #require(try await kit.currentVersion(scenario))
        let token = try await scenario.startRotation(kit.setup)
        try await RotationTestKit.run(try kit.rotator(scenario), scenario, token: token, steps: [.createSecret])
        try await sm.cancelRotateSecret(secretId: scenario.secretName)
        let before = try await configurations(kit, scenario)

        for step in [RotationStep.setSecret, .testSecret, .finishSecret] {
            do {
                try await RotationTestKit.run(try kit.rotator(scenario), scenario, token: token, steps: [step])
                Issue.record("\(step) ran after CancelRotateSecret")
            } catch let error as RotationError {
                #expect(error.code == .rotationNotEnabled)
            }
        }
        let unchanged = try await configurations(kit, scenario) == before
        #expect(unchanged, "setSecret did not write the pending value to the distribution")
        #expect(try await kit.currentVersion(scenario) == current, "finishSecret did not move AWSCURRENT")
    }

    @Test func theBreakGlassPathRotatesASecretWithoutARotationFunction() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup)
        let before = try #require(try await kit.currentVersion(scenario))
        let description = try await SecretsManagerClient(client: kit.setup).describeSecret(secretId: scenario.secretName)
        #expect(description.rotationEnabled != true)
        let token = try await kit.rotator(scenario).rotateWithoutFunction(secretId: scenario.secretName, deadline: RotationTestKit.deadline(),
                                                                         logger: Logger(label: "test"))
        try await kit.expectRotated(scenario, token: token, previousVersion: before)
    }
}
