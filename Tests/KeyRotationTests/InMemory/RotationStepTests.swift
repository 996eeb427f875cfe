import AWSServices
import Foundation
import KeyMaterial
import KeyRotation
import Logging
import Synchronization
import Testing

/// The rotator's step logic against in-memory seams: milliseconds per test, every guard and every
/// refusal, and what each step leaves untouched. The moto suites prove the same code against AWS's
/// wire formats.
@Suite(.timeLimit(.minutes(1))) struct RotationStepTests {
    struct Harness {
        let store: InMemorySecretStore
        let target: InMemoryHeaderTarget
        let origin: InMemoryOriginCheck?
        let rotator: CloudFrontRotator
        static let currentValue = "CurrentValue0000000000000000000"

        init(rotationEnabled: Bool = true, originAccepts: Set<String>? = nil, originAcceptsEverything: Bool = false, verifierCacheTTL: Duration = .zero,
             metrics: RotationMetrics = RotationMetrics()) {
            store = InMemorySecretStore(rotationEnabled: rotationEnabled)
            target = InMemoryHeaderTarget(sending: Self.currentValue)
            origin = originAccepts.map { InMemoryOriginCheck(accepting: $0, acceptsEverything: originAcceptsEverything) }
            let configuration = CloudFrontRotationConfiguration(distributionIds: ["E1"], deadlineMargin: .milliseconds(100),
                                                                verifierCacheTTL: verifierCacheTTL, verifierWaitMargin: .zero)
            rotator = CloudFrontRotator(configuration: configuration, secrets: store, target: target, probe: origin, metrics: metrics)
        }

        func run(_ step: RotationStep, token: String, deadline: ContinuousClock.Instant = .now + .seconds(30)) async throws {
            try await rotator.run(RotationEvent(step: step, secretId: store.name, clientRequestToken: token), deadline: deadline, logger: Logger(label: "test"))
        }

        /// The error code a step fails with, nil when it succeeds.
        func failure(_ step: RotationStep, token: String, deadline: ContinuousClock.Instant = .now + .seconds(30)) async -> RotationError.Code? {
            do {
                try await run(step, token: token, deadline: deadline)
                return nil
            } catch let error as RotationError {
                return error.code
            } catch {
                Issue.record("\(step) failed with \(error), not a RotationError")
                return nil
            }
        }

        func pendingValue(_ token: String) throws -> String? {
            try store.state.withLock { state in
                try state.versions[token]?.secretString.map { try SecretDocument(parsing: $0).value(forKey: "HTTP_API_KEY") } ?? nil
            }
        }
    }

    @Test func theGuardsRunInOrderAndChangeNothing() async throws {
        let disabled = Harness(rotationEnabled: false)
        #expect(await disabled.failure(.createSecret, token: "no-such-version") == .unknownVersion, "an unknown version is named first")
        #expect(await disabled.failure(.setSecret, token: "v-current") == .rotationNotEnabled, "then rotation not enabled, even for the current version")
        disabled.store.stagePending(token: "t1")
        #expect(await disabled.failure(.createSecret, token: "t1") == .rotationNotEnabled, "a pending version does not stand in for rotation being on")

        let enabled = Harness()
        #expect(await enabled.failure(.finishSecret, token: "v-current") == nil, "a version already AWSCURRENT is done")
        enabled.store.state.withLock { $0.versions["v-old"] = .init(secretString: #"{"HTTP_API_KEY":"x"}"#, stages: [.previous], createdDate: Date()) }
        #expect(await enabled.failure(.setSecret, token: "v-old") == .versionNotPending, "then a version that is not pending")

        #expect(disabled.store.changes.isEmpty && enabled.store.changes.isEmpty, "no guard wrote to the secret")
        #expect(disabled.target.writes == 0 && enabled.target.writes == 0, "no guard wrote to a distribution")
    }

    @Test func aFullRotationMovesEveryLabelAndEveryOrigin() async throws {
        let harness = Harness(originAccepts: [Harness.currentValue])
        harness.store.stagePending(token: "t1")
        try await harness.run(.createSecret, token: "t1")
        let pending = try #require(try harness.pendingValue("t1"))
        harness.origin?.accepted.withLock { $0.insert(pending) }
        for step in [RotationStep.setSecret, .testSecret, .finishSecret] { try await harness.run(step, token: "t1") }

        #expect(harness.store.stages(of: "t1") == [.pending, .current])
        #expect(harness.store.stages(of: "v-current") == [.previous])
        let sendsNew = harness.target.values() == [pending]
        #expect(sendsNew, "every origin sends the new value")
        #expect(harness.origin?.probes.withLock { $0 } == 3, "pending, current and a wrong value were probed")
    }

    @Test func finishSecretDoesNotPromoteWhileAnOriginLacksThePendingValue() async throws {
        let harness = Harness()
        harness.store.stagePending(token: "t1")
        try await harness.run(.createSecret, token: "t1")
        #expect(await harness.failure(.finishSecret, token: "t1") == .setSecretIncomplete)
        #expect(harness.store.stages(of: "v-current") == [.current], "AWSCURRENT did not move")

        try await harness.run(.setSecret, token: "t1")
        harness.target.state.withLock { $0.deployed = false }
        #expect(await harness.failure(.finishSecret, token: "t1") == .notDeployedInTime)
        #expect(harness.store.stages(of: "v-current") == [.current], "not before every distribution is Deployed either")
        #expect(!harness.store.changes.contains { $0.hasPrefix("UpdateSecretVersionStage") })
    }

    @Test func aConflictThatOutlastsTheRetriesFailsTheStepAndChangesNothing() async throws {
        let harness = Harness()
        harness.store.stagePending(token: "t1")
        try await harness.run(.createSecret, token: "t1")
        harness.target.state.withLock { $0.conflicts = true }
        #expect(await harness.failure(.setSecret, token: "t1") == .updateConflict)
        let untouched = harness.target.values() == [Harness.currentValue]
        #expect(untouched, "every origin still sends the current value")
        #expect(harness.store.changes == ["PutSecretValue t1"], "only createSecret wrote to the secret")
    }

    @Test func setSecretThatCannotWaitForTheVerifiersFailsBeforeTouchingADistribution() async throws {
        let harness = Harness(verifierCacheTTL: .seconds(60))
        harness.store.stagePending(token: "t1")
        try await harness.run(.createSecret, token: "t1")
        #expect(await harness.failure(.setSecret, token: "t1", deadline: .now + .seconds(5)) == .verifiersNotReady)
        #expect(harness.target.writes == 0)
    }

    /// The guards ran before the wait; a rotation turned off (or cancelled) while setSecret waits for
    /// the verifiers must not go on to change the distributions when the wait ends.
    @Test func aRotationTurnedOffDuringTheVerifierWaitChangesNoDistribution() async throws {
        let harness = Harness(verifierCacheTTL: .seconds(3))
        harness.store.stagePending(token: "t1")
        try await harness.run(.createSecret, token: "t1")
        // The version reads as just made: setSecret waits the whole 3 s, however long the steps before took.
        harness.store.state.withLock { $0.changesReadAsJustMade = true }
        async let setSecret = harness.failure(.setSecret, token: "t1")
        try await Task.sleep(for: .milliseconds(300))
        harness.store.state.withLock { $0.rotationEnabled = false }
        #expect(await setSecret == .rotationNotEnabled)
        #expect(harness.target.writes == 0, "no distribution was changed")
    }

    @Test func aStepThatRunsPastItsDeadlineIsStoppedAndReportsIt() async throws {
        let harness = Harness()
        harness.store.stagePending(token: "t1")
        try await harness.run(.createSecret, token: "t1")
        harness.target.state.withLock { $0.writeDelay = .seconds(30) }
        #expect(await harness.failure(.setSecret, token: "t1", deadline: .now + .seconds(1)) == .outOfTime)
        #expect(harness.target.writes == 0)
    }

    @Test func testSecretFailsWhenTheOriginRefusesThePendingValueOrAcceptsAnything() async throws {
        let strict = Harness(originAccepts: [Harness.currentValue])
        strict.store.stagePending(token: "t1")
        try await strict.run(.createSecret, token: "t1")
        try await strict.run(.setSecret, token: "t1")
        #expect(await strict.failure(.testSecret, token: "t1") == .originTestFailed, "the origin does not accept the pending value")

        let lax = Harness(originAccepts: [], originAcceptsEverything: true)
        lax.store.stagePending(token: "t1")
        try await lax.run(.createSecret, token: "t1")
        try await lax.run(.setSecret, token: "t1")
        #expect(await lax.failure(.testSecret, token: "t1") == .originTestFailed, "an origin that lets a random wrong value in checks nothing")
        #expect(lax.store.stages(of: "v-current") == [.current], "testSecret never moves a label")
    }

    @Test func theBreakGlassPathRotatesASecretWhoseRotationIsOff() async throws {
        let harness = Harness(rotationEnabled: false)
        let token = try await harness.rotator.rotateWithoutFunction(secretId: harness.store.name, deadline: .now + .seconds(30), logger: Logger(label: "test"))
        #expect(harness.store.stages(of: token) == [.current], "AWSPENDING is removed once the new version is current")
        #expect(harness.store.stages(of: "v-current") == [.previous])
    }
}
