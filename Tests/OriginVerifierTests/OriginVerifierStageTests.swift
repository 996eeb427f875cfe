import Foundation
import Testing
import TestSupport
@testable import OriginVerifier

/// Which values the verifier accepts, on the real Secrets Manager shapes (moto, auth on).
@Suite struct OriginVerifierStageTests {
    @Test func acceptsCurrentAndRejectsUnknownAndMissingValues() async throws {
        let initial = SecretFixture.randomValue()
        let fixture = try await SecretFixture.make(initial: initial)
        defer { Task { try? await fixture.shutdown() } }
        let verifier = fixture.verifier()

        #expect(await verifier.verify(headerValue: initial) == .allowed(.current))
        #expect(await verifier.verify(headerValue: SecretFixture.randomValue()) == .denied(.unknownValue))
        #expect(await verifier.verify(headerValue: String(initial.dropLast())) == .denied(.unknownValue))
        #expect(await verifier.verify(headerValue: initial + "x") == .denied(.unknownValue))
        #expect(await verifier.verify(headerValue: nil) == .denied(.missingHeader))
        #expect(await verifier.verify(headerValue: "") == .denied(.missingHeader))
        #expect(await verifier.verify(headerValue: "kept") == .denied(.unknownValue), "only the configured key counts")
        let metrics = verifier.metrics
        #expect(metrics.allowed == 1 && metrics.rejections == 6 && metrics.refreshes == 1)
    }

    @Test func acceptsPendingOnceItHoldsAValue() async throws {
        let initial = SecretFixture.randomValue(), next = SecretFixture.randomValue()
        let fixture = try await SecretFixture.make(initial: initial)
        defer { Task { try? await fixture.shutdown() } }
        let token = try await fixture.startRotation()
        let verifier = fixture.verifier()

        // AWSPENDING exists but has no value yet (before createSecret): the ring loads without it.
        #expect(await verifier.verify(headerValue: initial) == .allowed(.current))
        #expect(verifier.lastRefreshError == nil)

        _ = try await fixture.putPending(next, token: token)
        fixture.clock.advance(by: 61)
        #expect(await verifier.verify(headerValue: next) == .allowed(.pending))
        #expect(await verifier.verify(headerValue: initial) == .allowed(.current))
    }

    @Test func pendingOnTheCurrentVersionIsJustCurrent() async throws {
        let initial = SecretFixture.randomValue(), next = SecretFixture.randomValue()
        let fixture = try await SecretFixture.make(initial: initial)
        defer { Task { try? await fixture.shutdown() } }
        let token = try await fixture.putPending(next)
        try await fixture.finish(token: token)  // moto leaves AWSPENDING on the new current
        let described = try await fixture.admin.describeSecret(secretId: fixture.name)
        #expect(described.version(withStage: "AWSPENDING") == described.version(withStage: "AWSCURRENT"))

        let verifier = fixture.verifier()
        #expect(await verifier.verify(headerValue: next) == .allowed(.current))
        #expect(await verifier.verify(headerValue: initial) == .allowed(.previous))
        #expect(fixture.valueCalls == 2, "the version carrying both labels is read once")
    }

    @Test func previousIsAcceptedForTheGracePeriodAfterItsDemotion() async throws {
        let initial = SecretFixture.randomValue(), next = SecretFixture.randomValue()
        let fixture = try await SecretFixture.make(initial: initial)
        defer { Task { try? await fixture.shutdown() } }
        try await fixture.rotate(to: next)
        let rotatedAt = Date()
        // A process that starts 29 minutes after the rotation counts the grace from the demotion that
        // Secrets Manager's dates tell, never from its own start.
        fixture.clock.set(rotatedAt.addingTimeInterval(29 * 60))
        let verifier = fixture.verifier { $0.previousGracePeriod = .seconds(30 * 60) }

        #expect(await verifier.verify(headerValue: initial) == .allowed(.previous))
        #expect(await verifier.verify(headerValue: next) == .allowed(.current))
        fixture.clock.advance(by: 2 * 60)
        #expect(await verifier.verify(headerValue: initial) == .denied(.unknownValue))
        #expect(await verifier.verify(headerValue: next) == .allowed(.current))
    }

    @Test func aWitnessedRotationKeepsPreviousForTheFullGraceAfterItWasSeen() async throws {
        let initial = SecretFixture.randomValue(), next = SecretFixture.randomValue()
        let fixture = try await SecretFixture.make(initial: initial)
        defer { Task { try? await fixture.shutdown() } }
        let verifier = fixture.verifier { $0.previousGracePeriod = .seconds(600) }
        #expect(await verifier.verify(headerValue: initial) == .allowed(.current))

        // The rotation happens, as far as Secrets Manager's dates tell, "now"; this process sees it
        // 20 minutes later on its clock (e.g. its refreshes were failing or it was idle): the label moved
        // at some point in between, so the grace counts from when the move was seen.
        try await fixture.rotate(to: next)
        fixture.clock.advance(by: 20 * 60)
        #expect(await verifier.verify(headerValue: next) == .allowed(.current))
        #expect(await verifier.verify(headerValue: initial) == .allowed(.previous))
        fixture.clock.advance(by: 590)
        #expect(await verifier.verify(headerValue: initial) == .allowed(.previous))
        fixture.clock.advance(by: 20)
        #expect(await verifier.verify(headerValue: initial) == .denied(.unknownValue))
    }

    @Test func aSecretWithoutTheKeyDeniesEverythingWithAnActionableError() async throws {
        let fixture = try await SecretFixture.make(secretString: #"{"SOME_OTHER_KEY":"value-of-other-key"}"#)
        defer { Task { try? await fixture.shutdown() } }
        let verifier = fixture.verifier()
        #expect(await verifier.verify(headerValue: "value-of-other-key") == .denied(.noKeyRing))
        let error = try #require(verifier.lastRefreshError)
        guard case .keyMissing(_, _, .current, "HTTP_API_KEY") = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(error.description.contains("SECRET_KEY_NAME"))
        #expect(!fixture.logs.text.contains("value-of-other-key"))
        #expect(verifier.metrics.refreshFailures == 1)

        let other = fixture.verifier { $0.secretKeyName = "SOME_OTHER_KEY" }
        #expect(await other.verify(headerValue: "value-of-other-key") == .allowed(.current))
    }

    @Test func aNonJSONSecretDeniesEverythingWithoutLeakingIt() async throws {
        let fixture = try await SecretFixture.make(secretString: "plain-text-secret-value")
        defer { Task { try? await fixture.shutdown() } }
        let verifier = fixture.verifier()
        #expect(await verifier.verify(headerValue: "plain-text-secret-value") == .denied(.noKeyRing))
        let error = try #require(verifier.lastRefreshError)
        #expect(error.code == "SecretNotJSON")
        #expect(!error.description.contains("plain-text"))
        #expect(!fixture.logs.text.contains("plain-text"))
        #expect(fixture.logs.lines("origin key ring refresh failed").count == 1)
    }

    @Test func aBadPendingVersionIsSkippedAndCurrentKeepsWorking() async throws {
        let initial = SecretFixture.randomValue()
        let fixture = try await SecretFixture.make(initial: initial)
        defer { Task { try? await fixture.shutdown() } }
        try await fixture.admin.putSecretValue(secretId: fixture.name, clientRequestToken: UUID().uuidString,
                                               secretString: "not json at all", versionStages: ["AWSPENDING"])
        let verifier = fixture.verifier()
        #expect(await verifier.verify(headerValue: initial) == .allowed(.current))
        #expect(await verifier.verify(headerValue: "not json at all") == .denied(.unknownValue))
        #expect(fixture.logs.lines("origin key version skipped").count == 1)
    }
}
