import AWSServices
import Foundation
import KeyMaterial
import LocalEmulator
import Testing
import TestSupport

/// The `origin-authorizer` handler in the real `bootstrap`, through the Runtime API emulator, given
/// events and secrets that are not what it expects. Its contract: an event it cannot read is an
/// invocation error (`Runtime.InvalidEvent`: API Gateway answers 500, never letting the request
/// in); an event it can read with a header it cannot use is a Deny; a secret it cannot use denies
/// every request and says why in the log. Never an Allow on broken input, never a value in the
/// log, the process keeps serving, and the secret in the emulator is as it was.
@Suite(.timeLimit(.minutes(5))) struct AuthorizerBadInputTests {
    typealias Events = OriginAuthorizerFunctionTests

    static let arn = "arn:aws:execute-api:us-east-1:123456789012:abcdef123/prod/GET/pets"

    /// Events that are not API Gateway authorizer events, most of them carrying the right value.
    static func unreadable(_ value: String) -> [(String, [UInt8])] {
        let valid = Events.httpAPIEvent(value)
        return [
            ("empty", []),
            ("not JSON", Array("x-origin-verify: \(value)".utf8)),
            ("truncated JSON", Array(valid.utf8.prefix(valid.utf8.count - 40))),
            ("not UTF-8", [0xFF, 0xFE, 0xC0] + Array(value.utf8)),
            ("null", Array("null".utf8)),
            ("a JSON array", Array(#"[{"version":"2.0","headers":{"x-origin-verify":"\#(value)"}}]"#.utf8)),
            ("a JSON string", Array(#""\#(value)""#.utf8)),
            ("version a number", Array(#"{"version":2.0,"routeArn":"\#(arn)","headers":{"x-origin-verify":"\#(value)"}}"#.utf8)),
            ("2.0 without routeArn", Array(#"{"version":"2.0","type":"REQUEST","headers":{"x-origin-verify":"\#(value)"}}"#.utf8)),
            ("REQUEST without methodArn", Array(#"{"type":"REQUEST","headers":{"x-origin-verify":"\#(value)"}}"#.utf8)),
            ("TOKEN without methodArn", Array(#"{"type":"TOKEN","authorizationToken":"\#(value)"}"#.utf8)),
            ("an unknown type", Array(#"{"type":"COGNITO","methodArn":"\#(arn)","headers":{"x-origin-verify":"\#(value)"}}"#.utf8)),
            ("nested 100000 deep", Array(("{\"version\":\"2.0\",\"routeArn\":\"\(arn)\",\"x\":" + String(repeating: "[", count: 100_000)).utf8)),
        ]
    }

    /// Authorizer events whose header cannot be used, for HTTP API 2.0, REST REQUEST and REST TOKEN.
    static func unusable(_ value: String) -> [(String, String)] {
        let rest = #""type":"REQUEST","methodArn":"\#(arn)""#
        let v2 = #""version":"2.0","type":"REQUEST","routeArn":"\#(arn)""#
        return [
            ("2.0 without headers", "{\(v2)}"),
            ("2.0 headers null", #"{\#(v2),"headers":null}"#),
            ("2.0 headers an array", #"{\#(v2),"headers":[["x-origin-verify","\#(value)"]]}"#),
            ("2.0 header value a number", #"{\#(v2),"headers":{"x-origin-verify":12345}}"#),
            ("2.0 header value an object", #"{\#(v2),"headers":{"x-origin-verify":{"value":"\#(value)"}}}"#),
            ("2.0 header value empty", #"{\#(v2),"headers":{"x-origin-verify":""}}"#),
            ("2.0 another header a number", #"{\#(v2),"headers":{"x-origin-verify":"\#(value)","content-length":5}}"#),
            ("2.0 two spellings, one wrong", #"{\#(v2),"headers":{"x-origin-verify":"\#(value)","X-Origin-Verify":"wrong"}}"#),
            ("REQUEST headers an array", #"{\#(rest),"headers":["X-Origin-Verify","\#(value)"]}"#),
            ("REQUEST header value a number", #"{\#(rest),"headers":{"X-Origin-Verify":7}}"#),
            ("REQUEST header only in multiValueHeaders", #"{\#(rest),"multiValueHeaders":{"X-Origin-Verify":["\#(value)"]}}"#),
            ("TOKEN without a token", #"{"type":"TOKEN","methodArn":"\#(arn)"}"#),
            ("TOKEN token a number", #"{"type":"TOKEN","methodArn":"\#(arn)","authorizationToken":12345}"#),
            ("TOKEN token an array", #"{"type":"TOKEN","methodArn":"\#(arn)","authorizationToken":["\#(value)"]}"#),
            ("2.0 a 5 MB header value", #"{\#(v2),"headers":{"x-origin-verify":"\#(String(repeating: "A", count: 5 << 20))"}}"#),
            ("REQUEST 5 MB of other headers", #"{\#(rest),"headers":{"X-Origin-Verify":"wrong","x-pad":"\#(String(repeating: "b", count: 5 << 20))"}}"#),
        ]
    }

    /// True for an Allow in either response shape, false for a Deny; nil for an error.
    static func allowed(_ outcome: RuntimeAPIOutcome) -> Bool? {
        guard let text = outcome.responseText,
              let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
        if let simple = object["isAuthorized"] as? Bool { return simple }
        let statements = (object["policyDocument"] as? [String: Any])?["Statement"] as? [[String: Any]] ?? []
        return statements.contains { $0["Effect"] as? String == "Allow" }
    }

    /// The log without `values`, for a failure message.
    static func redacted(_ text: String, _ values: [String]) -> String {
        redacting(values, in: text)
    }

    @Test(.timeLimit(.minutes(3))) func malformedEventsAreRefusedOrDeniedAndTheFunctionKeepsServing() async throws {
        let value = SecretFixture.randomValue()
        try await SecretFixture.with(initial: value) { fixture in
            let before = try await EmulatorState.capture(fixture.moto.client(), secrets: [fixture.name])
            let environment = Events.authorizerEnvironment(fixture, ["REFRESH_TIMEOUT_SECONDS": "30"])
            try await RuntimeAPIEmulator.with(handler: "origin-authorizer", environment: environment) { lambda in
                #expect(Self.allowed(try await lambda.invoke(json: Events.httpAPIEvent(value))) == true, "the valid event is allowed")
                for (name, event) in Self.unreadable(value) {
                    let outcome = try await lambda.invoke(RuntimeAPIInvocation(event: event), timeout: .seconds(60))
                    #expect(outcome.errorReport?.errorType == "Runtime.InvalidEvent", "\(name): an invocation error, never an answer")
                    #expect(outcome.errorReport?.errorMessage?.contains(value) != true, "\(name): the error holds no value")
                    #expect(Self.allowed(try await lambda.invoke(json: Events.restEvent(value))) == true, "\(name): still serving")
                }
                for (name, event) in Self.unusable(value) {
                    let outcome = try await lambda.invoke(json: event, timeout: .seconds(60))
                    #expect(Self.allowed(outcome) == false, "\(name): denied: \(Self.redacted(outcome.errorReport.map { "\($0)" } ?? "an answer", [value]))")
                    #expect(Self.allowed(try await lambda.invoke(json: Events.httpAPIEvent(value))) == true, "\(name): still serving")
                }
                #expect(lambda.exitStatus == nil, "the process is alive")
                let leaked = lambda.standardOutput.contains(value) || lambda.standardError.contains(value)
                #expect(!leaked, "no value in the logs")
            }
            let after = try await EmulatorState.capture(fixture.moto.client(), secrets: [fixture.name])
            #expect(after.differences(from: before).isEmpty, "the secret is unchanged: \(after.differences(from: before))")
        }
    }

    /// Secrets the verifier cannot use; `VALUE` is replaced by a random value that must never be allowed or logged.
    @Test(arguments: [
        ("not JSON", "VALUE", "SecretNotJSON"),
        ("truncated", #"{"HTTP_API_KEY":"VALUE"#, "SecretNotJSON"),
        ("missing its key", #"{"OTHER_KEY":"VALUE"}"#, "SecretKeyMissing"),
        ("the key of the wrong type", #"{"HTTP_API_KEY":["VALUE"]}"#, "SecretKeyMissing"),
        ("the key empty", #"{"HTTP_API_KEY":"","other":"VALUE"}"#, "SecretKeyMissing"),
    ])
    func aBrokenSecretDeniesEveryRequestSaysWhyAndRecoversOnceFixed(name: String, template: String, code: String) async throws {
        let value = SecretFixture.randomValue()
        try await SecretFixture.with(secretString: template.replacingOccurrences(of: "VALUE", with: value)) { fixture in
            let before = try await EmulatorState.capture(fixture.moto.client(), secrets: [fixture.name])
            let environment = Events.authorizerEnvironment(fixture, ["REFRESH_TIMEOUT_SECONDS": "30", "CACHE_TTL_SECONDS": "1"])
            try await RuntimeAPIEmulator.with(handler: "origin-authorizer", environment: environment) { lambda in
                for candidate in [value, "", "12345", "wrong-\(value)"] {
                    #expect(Self.allowed(try await lambda.invoke(json: Events.httpAPIEvent(candidate))) == false, "\(name): HTTP API request denied")
                    #expect(Self.allowed(try await lambda.invoke(json: Events.restEvent(candidate))) == false, "\(name): REST request denied")
                }
                let log = lambda.standardOutput + lambda.standardError
                #expect(log.contains("origin key ring refresh failed") && log.contains(code) && log.contains(fixture.name),
                        "\(name): the log names the secret and the problem: \(Self.redacted(log, [value]))")
                #expect(lambda.exitStatus == nil, "\(name): the process is alive")
                let after = try await EmulatorState.capture(fixture.moto.client(), secrets: [fixture.name])
                #expect(after.differences(from: before).isEmpty, "\(name): the secret is unchanged: \(after.differences(from: before))")

                // Once the secret is fixed, the next refresh picks it up: the broken state was not cached for good.
                let good = SecretFixture.randomValue()
                _ = try await fixture.admin.putSecretValue(secretId: fixture.name, clientRequestToken: UUID().uuidString,
                                                           secretString: SecretFixture.json(good), versionStages: ["AWSCURRENT"])
                var recovered = false
                for _ in 0..<40 where !recovered {
                    recovered = Self.allowed(try await lambda.invoke(json: Events.httpAPIEvent(good))) == true
                    if !recovered { try await Task.sleep(for: .milliseconds(250)) }
                }
                #expect(recovered, "\(name): the fixed secret is used")
                let leaked = [value, good].contains { lambda.standardOutput.contains($0) || lambda.standardError.contains($0) }
                #expect(!leaked, "\(name): no value in the logs")
            }
        }
    }
}
