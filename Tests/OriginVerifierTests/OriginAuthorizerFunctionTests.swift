import AWSServices
import Foundation
import LocalEmulator
import Testing
import TestSupport

/// The `origin-authorizer` handler in the real `bootstrap`, through the Runtime API emulator,
/// against moto with authentication on, for HTTP API (payload 2.0) and REST API events.
@Suite(.timeLimit(.minutes(5))) struct OriginAuthorizerFunctionTests {
    static func httpAPIEvent(_ value: String?) -> String {
        let headers = value.map { #"{"x-origin-verify":"\#($0)","host":"api.example.com"}"# } ?? #"{"host":"api.example.com"}"#
        return #"{"version":"2.0","type":"REQUEST","routeArn":"arn:aws:execute-api:us-east-1:123456789012:abcdef123/prod/GET/pets","routeKey":"GET /pets","headers":\#(headers),"requestContext":{"http":{"method":"GET"}}}"#
    }

    static func restEvent(_ value: String) -> String {
        #"{"type":"REQUEST","methodArn":"arn:aws:execute-api:eu-west-1:123456789012:a1b2c3/live/POST/orders/1","resource":"/orders/{id}","path":"/orders/1","httpMethod":"POST","headers":{"X-Origin-Verify":"\#(value)"}}"#
    }

    static func object(_ outcome: RuntimeAPIOutcome) throws -> [String: Any] {
        let text = try #require(outcome.responseText, "the authorizer answered: \(outcome.errorReport.map { "\($0)" } ?? "")")
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The authorizer's environment: moto's credentials, Secrets Manager through the fixture's proxy, and `extra`.
    static func authorizerEnvironment(_ fixture: SecretFixture, _ extra: [String: String]) -> [String: String] {
        var environment = fixture.moto.environment()
        environment["AWS_ENDPOINT_URL"] = fixture.proxy.endpoint
        environment["AWS_EC2_METADATA_DISABLED"] = "true"
        environment["SECRET_NAME"] = fixture.name
        return environment.merging(extra) { _, new in new }
    }

    @Test(.timeLimit(.minutes(2))) func httpAndRESTEventsAreAnsweredFromACachedKeyRing() async throws {
        let value = SecretFixture.randomValue()
        try await SecretFixture.with(initial: value) { fixture in
            let environment = Self.authorizerEnvironment(fixture, ["REFRESH_TIMEOUT_SECONDS": "30", "EARLY_REFRESH_INTERVAL_SECONDS": "1"])
            try await RuntimeAPIEmulator.with(handler: "origin-authorizer", environment: environment) { lambda in
                // The HTTP API answer for a header value; a plain call, so a failing expectation shows no value.
                func authorized(_ header: String?) async throws -> Bool? {
                    try Self.object(try await lambda.invoke(json: Self.httpAPIEvent(header)))["isAuthorized"] as? Bool
                }

                #expect(try await authorized(value) == true)
                #expect(try await authorized("wrong-\(value)") == false)
                #expect(try await authorized(nil) == false)

                let allow = try Self.object(try await lambda.invoke(json: Self.restEvent(value)))
                #expect(allow["principalId"] as? String == "cloudfront-origin")
                let statement = ((allow["policyDocument"] as? [String: Any])?["Statement"] as? [[String: Any]])?.first
                #expect(statement?["Effect"] as? String == "Allow")
                #expect(statement?["Action"] as? String == "execute-api:Invoke")
                let deny = try Self.object(try await lambda.invoke(json: Self.restEvent("nope")))
                #expect(((deny["policyDocument"] as? [String: Any])?["Statement"] as? [[String: Any]])?.first?["Effect"] as? String == "Deny")

                // Steady traffic costs no further Secrets Manager reads inside the cache window.
                let reads = fixture.proxy.count(.target("GetSecretValue"))
                for _ in 0..<50 {
                    #expect(try await authorized(value) == true)
                }
                #expect(fixture.proxy.count(.target("GetSecretValue")) == reads)
                #expect(reads <= 2)

                // A pending value is learnt by an early refresh.
                let pending = SecretFixture.randomValue()
                try await fixture.admin.putSecretValue(secretId: fixture.name, clientRequestToken: UUID().uuidString,
                                                       secretString: SecretFixture.json(pending), versionStages: ["AWSPENDING"])
                try await Task.sleep(for: .milliseconds(1100))
                #expect(try await authorized(pending) == true)
                let leaked = lambda.standardOutput.contains(value) || lambda.standardOutput.contains(pending)
                #expect(!leaked, "no value in the logs")
            }
        }
    }

    /// The authorizer's counts reach CloudWatch as EMF documents on stdout, aggregated: a burst of
    /// requests writes no document per request, and the next invocation after the flush interval
    /// writes everything counted so far, in METRICS_NAMESPACE, by stage and by reason.
    @Test(.timeLimit(.minutes(2))) func verificationsAreCountedInAggregatedEMFDocuments() async throws {
        let value = SecretFixture.randomValue()
        try await SecretFixture.with(initial: value) { fixture in
            var environment = fixture.moto.environment()
            environment["AWS_EC2_METADATA_DISABLED"] = "true"
            environment["SECRET_NAME"] = fixture.name
            environment["METRICS_NAMESPACE"] = "KeyRotatorAuthorizerTest"
            try await RuntimeAPIEmulator.with(handler: "origin-authorizer", environment: environment) { lambda in
                for index in 0..<60 {
                    _ = try await lambda.invoke(json: Self.httpAPIEvent(index % 6 == 5 ? "wrong-\(index)" : value))
                }
                let burst = try EMFDocument.all(in: lambda.standardOutput)
                #expect(Set(burst.map(\.timestamp)).count <= 1, "60 requests wrote at most one flush, not a document each")
                try await Task.sleep(for: .seconds(11))
                _ = try await lambda.invoke(json: Self.httpAPIEvent(nil))

                let documents = try EMFDocument.all(in: lambda.standardOutput)
                #expect(Set(documents.map(\.timestamp)).count <= 2)
                let allowed = EMFDocument.total("VerifierAllowed", in: documents, where: ["Stage": "AWSCURRENT"])
                #expect(allowed == 50)
                #expect(EMFDocument.total("VerifierDenied", in: documents, where: ["Reason": "unknownValue"]) == 10)
                #expect(EMFDocument.total("VerifierDenied", in: documents, where: ["Reason": "missingHeader"]) == 1)
                #expect(EMFDocument.total("VerifierRefreshes", in: documents) >= 1)
                #expect(documents.allSatisfy { $0.namespace == "KeyRotatorAuthorizerTest" && $0.dimensions["Function"] == "origin-authorizer" })
                #expect(!documents.contains { $0.line.contains(value) || $0.line.contains("sha256:") }, "never a value or a fingerprint")
            }
        }
    }

    @Test func aMissingSecretNameIsAnInitErrorNamingTheVariable() async throws {
        let moto = try await MotoServer.shared()
        try await RuntimeAPIEmulator.with(handler: "origin-authorizer", environment: moto.environment()) { lambda in
            let report = try await lambda.initError()
            #expect(report.errorMessage?.contains("SECRET_NAME") == true)
        }
    }

    @Test func aNonAuthorizerEventIsAnInvocationError() async throws {
        try await SecretFixture.with { fixture in
            var environment = fixture.moto.environment()
            environment["SECRET_NAME"] = fixture.name
            environment["REFRESH_TIMEOUT_SECONDS"] = "30"
            try await RuntimeAPIEmulator.with(handler: "origin-authorizer", environment: environment) { lambda in
                let report = try #require(try await lambda.invoke(json: #"{"Records":[]}"#).errorReport)
                #expect(report.errorType == "Runtime.InvalidEvent")
            }
        }
    }

    /// Secrets Manager accepts connections and never answers: no invocation may run past its deadline
    /// waiting on a refresh (Lambda would stop the environment and API Gateway answer 500). Known
    /// values are answered from the last good ring, unknown ones denied, each within the deadline.
    @Test(.timeLimit(.minutes(2))) func everyInvocationAnswersWithinItsDeadlineWhileSecretsManagerHangs() async throws {
        let value = SecretFixture.randomValue()
        try await SecretFixture.with(initial: value) { fixture in
            let environment = Self.authorizerEnvironment(fixture, ["CACHE_TTL_SECONDS": "1", "EARLY_REFRESH_INTERVAL_SECONDS": "1", "REFRESH_TIMEOUT_SECONDS": "10"])
            try await RuntimeAPIEmulator.with(handler: "origin-authorizer", environment: environment) { lambda in
                let timeout = Duration.seconds(3)
                /// The answer, and whether it reached the Runtime API before the deadline the function was
                /// given: both instants are taken by the emulator on its event loop, so the test process's
                /// own scheduling delays do not count.
                func authorize(_ header: String) async throws -> (Bool?, RuntimeAPIDelivery?) {
                    let invocation = RuntimeAPIInvocation(json: Self.httpAPIEvent(header), timeout: timeout)
                    let outcome = try await lambda.invoke(invocation, timeout: .seconds(60))
                    return (try Self.object(outcome)["isAuthorized"] as? Bool, lambda.server.delivery(of: invocation.requestID))
                }
                #expect(try await authorize(value).0 == true, "the ring is loaded")

                fixture.proxy.addRule(.init("Secrets Manager hangs", when: .target("DescribeSecret") || .target("GetSecretValue"), action: .timeout))
                try await Task.sleep(for: .milliseconds(1200))
                for attempt in 0..<4 {
                    let (wrong, wrongDelivery) = try await authorize("sprayed-\(attempt)-\(SecretFixture.randomValue())")
                    #expect(wrong == false, "an unknown value is denied")
                    #expect(wrongDelivery?.answeredBeforeDeadline == true, "the denial arrived before the delivered deadline: \(String(describing: wrongDelivery))")
                    let (known, knownDelivery) = try await authorize(value)
                    #expect(known == true, "a known value is answered from the last good ring")
                    #expect(knownDelivery?.answeredBeforeDeadline == true, "the answer arrived before the delivered deadline: \(String(describing: knownDelivery))")
                }
                #expect(fixture.proxy.hits(rule: "Secrets Manager hangs") > 0, "the refreshes did reach the hanging Secrets Manager")
                let leaked = lambda.standardOutput.contains(value)
                #expect(!leaked, "no value in the logs")
            }
        }
    }
}
