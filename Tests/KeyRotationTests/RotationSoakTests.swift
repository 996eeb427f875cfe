import AWSCore
import AWSServices
import Foundation
import KeyMaterial
import KeyRotation
import KeyRotationLive
import Logging
import Testing
import TestSupport

/// Soak: 100 rotations in a row while 20 % of the rotator's AWS calls fail in every way a
/// long-lived rotation meets (5xx, throttling, answers past the client's timeout, resets before
/// and after the call took effect, CloudFront `PreconditionFailed`). A failed step is retried the
/// way Secrets Manager does: the whole rotation again, same token. Every rotation must converge,
/// and the secret and the distributions must end exactly as a clean run leaves them. Run by
/// `scripts/test.sh` after the suite (`KEYROTATOR_SOAK=1`); prints its figures.
@Suite(.serialized, .timeLimit(.minutes(30))) struct RotationSoakTests {
    static let enabled = ProcessInfo.processInfo.environment["KEYROTATOR_SOAK"] == "1"
    static let rotations = Int(ProcessInfo.processInfo.environment["KEYROTATOR_SOAK_ROTATIONS"] ?? "") ?? 100

    @Test(.enabled(if: enabled, "a soak: scripts/test.sh runs it after the suite"))
    func aHundredRotationsAtATwentyPercentFaultRateAllConverge() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup, distributions: 2)
        let secrets = SecretsManagerClient(client: kit.setup)
        let started = ContinuousClock.now
        var attempts = 0
        var stepFailures: [String: Int] = [:]
        let summary = try await FaultProxy.with(upstream: kit.moto) { proxy in
            // Attempts time out after 1 s (moto answers in milliseconds); a slow answer takes 1.5 s.
            let campaign = FaultCampaign(proxy: proxy, rate: 0.2, seed: 20_261_205, slowDelay: .milliseconds(1500))
            let configuration = try CloudFrontRotationConfiguration(environment: scenario.environment())
            let rotator = CloudFrontRotator(configuration: configuration,
                                            client: kit.moto.client(endpoint: proxy.endpoint, maxAttempts: 3, timeout: .seconds(1)))
            let logger = Logger(label: "soak")
            var previous = try #require(try await secrets.describeSecret(secretId: scenario.secretName).version(withStage: "AWSCURRENT"))
            for rotation in 1...Self.rotations {
                let token = try await scenario.startRotation(kit.setup)
                var converged = false
                for _ in 1...20 where !converged {
                    attempts += 1
                    do {
                        for step in RotationStep.allCases {
                            try await rotator.run(RotationEvent(step: step, secretId: scenario.secretName, clientRequestToken: token),
                                                  deadline: .now + .seconds(60), logger: logger)
                        }
                        converged = true
                    } catch let error as RotationError {
                        stepFailures[error.code.rawValue, default: 0] += 1
                    } catch let error as AWSError {
                        stepFailures["AWS.\(error.code)", default: 0] += 1
                    } catch let error as AWSTransportError {
                        stepFailures[error.isTimeout ? "Transport.Timeout" : "Transport", default: 0] += 1
                    }
                }
                #expect(converged, "rotation \(rotation) converged within 20 attempts")
                let described = try await secrets.describeSecret(secretId: scenario.secretName)
                #expect(described.version(withStage: "AWSCURRENT") == token, "rotation \(rotation): the new version is current")
                #expect(described.version(withStage: "AWSPREVIOUS") == previous, "rotation \(rotation): the last one is previous")
                previous = token
                // As the service does after a rotation, so that the next RotateSecret is accepted.
                try await scenario.clearPendingLabel(kit.setup, version: token)
            }
            return campaign.summary
        }
        let elapsed = ContinuousClock.now - started
        print("soak origin: \(Self.rotations) rotations, \(attempts) attempts, \(summary), step failures \(stepFailures.sorted { $0.key < $1.key }), \(elapsed / .seconds(1)) s")

        // The end state: one AWSCURRENT, no AWSPENDING anywhere, and every distribution sends the
        // current value with the rest of its configuration byte for byte as before.
        let described = try await secrets.describeSecret(secretId: scenario.secretName)
        let stages = (described.versionIdsToStages ?? [:]).values
        #expect(stages.filter { $0.contains(.current) }.count == 1, "exactly one AWSCURRENT")
        #expect(!stages.contains { $0.contains(.pending) }, "no stray AWSPENDING")
        try await kit.expectEveryOriginSendsTheCurrentValue(scenario)
    }
}
