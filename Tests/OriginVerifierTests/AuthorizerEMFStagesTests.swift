import AWSServices
import Foundation
import LocalEmulator
import Testing
import TestSupport

/// The `origin-authorizer` handler in the real `bootstrap` (Runtime API emulator, moto with auth on)
/// writes, as EMF documents, what the other authorizer tests do not look at: allows of AWSPENDING and
/// AWSPREVIOUS, refresh failures and stale serves while Secrets Manager fails.
@Suite("origin-authorizer EMF by stage and under failure", .timeLimit(.minutes(10)))
struct AuthorizerEMFStagesTests {
    static func authorized(_ lambda: RuntimeAPIEmulator, _ value: String?) async throws -> Bool? {
        try OriginAuthorizerFunctionTests.object(try await lambda.invoke(json: OriginAuthorizerFunctionTests.httpAPIEvent(value)))["isAuthorized"] as? Bool
    }

    static func environment(_ fixture: SecretFixture, _ extra: [String: String]) -> [String: String] {
        var environment = fixture.moto.environment()
        environment["AWS_ENDPOINT_URL"] = fixture.proxy.endpoint
        environment["AWS_EC2_METADATA_DISABLED"] = "true"
        environment["AWS_MAX_ATTEMPTS"] = "1"
        environment["SECRET_NAME"] = fixture.name
        environment["METRICS_NAMESPACE"] = "KeyRotatorEMFStages"
        return environment.merging(extra) { $1 }
    }

    /// Starts the authorizer on a fresh secret holding `initial`, runs `body`, then stops both, whatever happens.
    static func withAuthorizer(initial: String, _ extra: [String: String], _ body: (SecretFixture, RuntimeAPIEmulator) async throws -> Void) async throws {
        try await SecretFixture.with(initial: initial) { fixture in
            try await RuntimeAPIEmulator.with(handler: "origin-authorizer", environment: environment(fixture, extra)) { lambda in
                try await body(fixture, lambda)
            }
        }
    }

    @Test("allows of AWSPENDING and AWSPREVIOUS are counted by stage")
    func pendingAndPrevious() async throws {
        let old = SecretFixture.randomValue(), new = SecretFixture.randomValue()
        // Each request after a sleep past the 1 s TTL waits for the refresh it needs: give that refresh
        // room (30 s, three attempts), so that a loaded machine cannot answer from the older ring.
        let patient = ["CACHE_TTL_SECONDS": "1", "EARLY_REFRESH_INTERVAL_SECONDS": "1", "REFRESH_TIMEOUT_SECONDS": "30", "AWS_MAX_ATTEMPTS": "3"]
        try await Self.withAuthorizer(initial: old, patient) { fixture, lambda in
            #expect(try await Self.authorized(lambda, old) == true)
            let token = try await fixture.putPending(new)
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await Self.authorized(lambda, new) == true, "AWSPENDING")
            try await fixture.finish(token: token, removePending: true)
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await Self.authorized(lambda, old) == true, "AWSPREVIOUS, within the grace")
            #expect(try await Self.authorized(lambda, new) == true, "AWSCURRENT")
            try await Task.sleep(for: .seconds(11))
            _ = try await Self.authorized(lambda, nil)

            let documents = try EMFDocument.all(in: lambda.standardOutput)
            #expect(EMFDocument.total("VerifierAllowed", in: documents, where: ["Stage": "AWSPENDING"]) == 1)
            #expect(EMFDocument.total("VerifierAllowed", in: documents, where: ["Stage": "AWSPREVIOUS"]) == 1)
            #expect(EMFDocument.total("VerifierAllowed", in: documents, where: ["Stage": "AWSCURRENT"]) == 2)
            #expect(documents.allSatisfy { $0.namespace == "KeyRotatorEMFStages" && $0.dimensions["Function"] == "origin-authorizer" })
            #expect(!documents.contains { $0.line.contains(old) || $0.line.contains(new) }, "never a value")
        }
    }

    @Test("while Secrets Manager fails, refresh failures and stale serves are counted")
    func refreshFailuresAndStaleServes() async throws {
        let value = SecretFixture.randomValue()
        try await Self.withAuthorizer(initial: value, ["CACHE_TTL_SECONDS": "1", "REFRESH_TIMEOUT_SECONDS": "10"]) { fixture, lambda in
            #expect(try await Self.authorized(lambda, value) == true)
            fixture.proxy.addRule(.init("secrets-manager-down", when: .target("DescribeSecret") || .target("GetSecretValue"), action: .serviceUnavailable(.json)))
            try await Task.sleep(for: .milliseconds(1200))
            // Past the TTL, the refresh fails: the ring is served stale (stale-if-error, 900 s by default).
            for _ in 0..<3 {
                #expect(try await Self.authorized(lambda, value) == true)
                try await Task.sleep(for: .milliseconds(300))
            }
            try await Task.sleep(for: .seconds(11))
            _ = try await Self.authorized(lambda, value)

            let documents = try EMFDocument.all(in: lambda.standardOutput)
            #expect(EMFDocument.total("VerifierRefreshFailures", in: documents) >= 1)
            #expect(EMFDocument.total("VerifierStaleServes", in: documents) >= 3)
            #expect(EMFDocument.total("VerifierRefreshes", in: documents) >= 1)
            #expect(!documents.contains { $0.line.contains(value) })
        }
    }
}
