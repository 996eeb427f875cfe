import AWSServices
import Foundation
@testable import OriginVerifier
import Testing
import TestSupport

/// Which values the verifier accepts, on the real Secrets Manager shapes (moto, auth on).
@Suite(.timeLimit(.minutes(5))) struct OriginVerifierStageTests {
    @Test func acceptsCurrentAndRejectsUnknownAndMissingValues() async throws {
        let initial = SecretFixture.randomValue()
        try await SecretFixture.with(initial: initial) { fixture in
            let verifier = fixture.verifier()

            #expect(await decision(of: initial, by: verifier) == .allowed(.current))
            #expect(await decision(of: SecretFixture.randomValue(), by: verifier) == .denied(.unknownValue))
            #expect(await decision(of: String(initial.dropLast()), by: verifier) == .denied(.unknownValue))
            #expect(await decision(of: initial + "x", by: verifier) == .denied(.unknownValue))
            #expect(await decision(of: nil, by: verifier) == .denied(.missingHeader))
            #expect(await decision(of: "", by: verifier) == .denied(.missingHeader))
            #expect(await decision(of: "kept", by: verifier) == .denied(.unknownValue), "only the configured key counts")
            let metrics = verifier.metrics
            #expect(metrics.allowed == 1 && metrics.rejections == 6 && metrics.refreshes == 1)
        }
    }

    @Test func acceptsPendingOnceItHoldsAValue() async throws {
        let initial = SecretFixture.randomValue(), next = SecretFixture.randomValue()
        try await SecretFixture.with(initial: initial) { fixture in
            let token = try await fixture.startRotation()
            let verifier = fixture.verifier()

            // AWSPENDING exists but has no value yet (before createSecret): the ring loads without it.
            #expect(await decision(of: initial, by: verifier) == .allowed(.current))
            #expect(verifier.lastRefreshError == nil)

            _ = try await fixture.putPending(next, token: token)
            fixture.clock.advance(by: 61)
            #expect(await decision(of: next, by: verifier) == .allowed(.pending))
            #expect(await decision(of: initial, by: verifier) == .allowed(.current))
        }
    }

    @Test func pendingOnTheCurrentVersionIsJustCurrent() async throws {
        let initial = SecretFixture.randomValue(), next = SecretFixture.randomValue()
        try await SecretFixture.with(initial: initial) { fixture in
            let token = try await fixture.putPending(next)
            try await fixture.finish(token: token)  // moto leaves AWSPENDING on the new current
            let described = try await fixture.admin.describeSecret(secretId: fixture.name)
            #expect(described.version(withStage: "AWSPENDING") == described.version(withStage: "AWSCURRENT"))

            let verifier = fixture.verifier()
            #expect(await decision(of: next, by: verifier) == .allowed(.current))
            #expect(await decision(of: initial, by: verifier) == .allowed(.previous))
            #expect(fixture.valueCalls == 2, "the version carrying both labels is read once")
        }
    }

    @Test func previousIsAcceptedForTheGracePeriodAfterItsDemotion() async throws {
        let initial = SecretFixture.randomValue(), next = SecretFixture.randomValue()
        try await SecretFixture.with(initial: initial) { fixture in
            try await fixture.rotate(to: next)
            let rotatedAt = Date()
            // A process that starts 29 minutes after the rotation counts the grace from the demotion that
            // Secrets Manager's dates tell, never from its own start.
            fixture.clock.set(rotatedAt.addingTimeInterval(29 * 60))
            let verifier = fixture.verifier { $0.previousGracePeriod = .seconds(30 * 60) }

            #expect(await decision(of: initial, by: verifier) == .allowed(.previous))
            #expect(await decision(of: next, by: verifier) == .allowed(.current))
            fixture.clock.advance(by: 2 * 60)
            #expect(await decision(of: initial, by: verifier) == .denied(.unknownValue))
            #expect(await decision(of: next, by: verifier) == .allowed(.current))
        }
    }

    @Test func aWitnessedRotationKeepsPreviousForTheFullGraceAfterItWasSeen() async throws {
        let initial = SecretFixture.randomValue(), next = SecretFixture.randomValue()
        try await SecretFixture.with(initial: initial) { fixture in
            let verifier = fixture.verifier { $0.previousGracePeriod = .seconds(600) }
            #expect(await decision(of: initial, by: verifier) == .allowed(.current))

            // The rotation happens, as far as Secrets Manager's dates tell, "now"; this process sees it
            // 20 minutes later on its clock (e.g. its refreshes were failing or it was idle): the label moved
            // at some point in between, so the grace counts from when the move was seen.
            try await fixture.rotate(to: next)
            fixture.clock.advance(by: 20 * 60)
            #expect(await decision(of: next, by: verifier) == .allowed(.current))
            #expect(await decision(of: initial, by: verifier) == .allowed(.previous))
            fixture.clock.advance(by: 590)
            #expect(await decision(of: initial, by: verifier) == .allowed(.previous))
            fixture.clock.advance(by: 20)
            #expect(await decision(of: initial, by: verifier) == .denied(.unknownValue))
        }
    }

    @Test func aSecretWithoutTheKeyDeniesEverythingWithAnActionableError() async throws {
        try await SecretFixture.with(secretString: #"{"SOME_OTHER_KEY":"value-of-other-key"}"#) { fixture in
            let verifier = fixture.verifier()
            #expect(await decision(of: "value-of-other-key", by: verifier) == .denied(.noKeyRing))
            let error = try #require(verifier.lastRefreshError)
            guard case .keyMissing(_, _, .current, "HTTP_API_KEY") = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(error.description.contains("SECRET_KEY_NAME"))
            #expect(!fixture.logs.text.contains("value-of-other-key"))
            #expect(verifier.metrics.refreshFailures == 1)

            let other = fixture.verifier { $0.secretKeyName = "SOME_OTHER_KEY" }
            #expect(await decision(of: "value-of-other-key", by: other) == .allowed(.current))
        }
    }

    @Test func aNonJSONSecretDeniesEverythingWithoutLeakingIt() async throws {
        try await SecretFixture.with(secretString: "plain-text-secret-value") { fixture in
            let verifier = fixture.verifier()
            #expect(await decision(of: "plain-text-secret-value", by: verifier) == .denied(.noKeyRing))
            let error = try #require(verifier.lastRefreshError)
            #expect(error.code == "SecretNotJSON")
            #expect(!error.description.contains("plain-text"))
            #expect(!fixture.logs.text.contains("plain-text"))
            #expect(fixture.logs.entries("origin key ring refresh failed").count == 1)
        }
    }

    @Test func aBadPendingVersionIsSkippedAndCurrentKeepsWorking() async throws {
        let initial = SecretFixture.randomValue()
        try await SecretFixture.with(initial: initial) { fixture in
            try await fixture.admin.putSecretValue(secretId: fixture.name, clientRequestToken: UUID().uuidString,
                                                   secretString: "not json at all", versionStages: ["AWSPENDING"])
            let verifier = fixture.verifier()
            #expect(await decision(of: initial, by: verifier) == .allowed(.current))
            #expect(await decision(of: "not json at all", by: verifier) == .denied(.unknownValue))
            #expect(fixture.logs.entries("origin key version skipped").count == 1)
        }
    }
}
