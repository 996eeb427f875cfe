import AWSServices
import Foundation
import KeyMaterial
import KeyRotation
import Logging
import Testing
import TestSupport

/// Two rotations of one secret at the same time, against moto: Secrets Manager retrying a rotation
/// while a slow invocation of it is still running (one token, two functions), and two operators
/// running `keyrotator origin rotate --run-steps-here` at once (two tokens). One wins; the other
/// converges or stops with an error that says why; the secret and the distributions end consistent.
@Suite(.timeLimit(.minutes(4))) struct RotationConcurrencyTests {
    @Test func oneRotationRunByTwoFunctionsAtOnceConverges() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup, distributions: 2)
        let before = try #require(try await kit.currentVersion(scenario))
        let token = try await scenario.startRotation(kit.setup)
        try await RotationFunction.with(scenario, moto: kit.moto) { first in
            try await RotationFunction.with(scenario, moto: kit.moto) { second in
                async let one = first.run(token: token)
                async let other = second.run(token: token)
                let reports = try await [one, other]
                if reports.contains(where: { $0 != nil }) {
                    // Secrets Manager retries a failed rotation from its first step, with the same token.
                    #expect(try await first.run(token: token) == nil, "the retry converges after \(reports.compactMap { $0?.errorType })")
                }
            }
        }
        try await kit.expectRotated(scenario, token: token, previousVersion: before)
    }

    @Test func twoBreakGlassRotationsAtOnceLeaveOneCurrentValueEverywhere() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup, distributions: 2)
        let rotators = try (0..<2).map { _ in try kit.rotator(scenario) }
        let outcomes = await withTaskGroup(of: Result<String, any Error>.self) { group in
            for rotator in rotators {
                group.addTask {
                    do {
                        return .success(try await rotator.rotateWithoutFunction(secretId: scenario.secretName, deadline: RotationTestKit.deadline(),
                                                                                logger: Logger(label: "test")))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var outcomes: [Result<String, any Error>] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        let succeeded = outcomes.compactMap { try? $0.get() }
        #expect(!succeeded.isEmpty, "at least one rotation completes")
        for case .failure(let error) in outcomes {
            let rotationError = try #require(error as? RotationError, "a rotation that loses stops with a RotationError, not \(type(of: error))")
            #expect([.versionNotPending, .setSecretIncomplete, .unknownVersion].contains(rotationError.code), "\(rotationError.code): \(rotationError.message)")
        }

        // Whatever the interleaving: one AWSCURRENT, no AWSPENDING left on another version, and every
        // origin sends the current value with the rest of its configuration as it was.
        let secrets = SecretsManagerClient(client: kit.setup)
        let described = try await secrets.describeSecret(secretId: scenario.secretName)
        let stages = described.versionIdsToStages ?? [:]
        let current = try #require(described.version(withStage: "AWSCURRENT"))
        #expect(stages.values.filter { $0.contains(.current) }.count == 1)
        #expect(stages.filter { $0.value.contains(.pending) }.allSatisfy { $0.key == current }, "no stray AWSPENDING")
        #expect(succeeded.contains(current), "the current version is one that a rotation completed")
        try await kit.expectEveryOriginSendsTheCurrentValue(scenario)
    }
}
