import AWSServices
import Foundation
import KeyMaterial
import KeyRotation
import NIOCore
import NIOHTTP1
import Testing
import TestSupport

/// Broken input to the real `cloudfront-rotation` function, against moto with auth on: malformed,
/// truncated, oversized and wrong-type events; secrets that are not what the function expects;
/// a distribution configuration with entities or elements the function has never seen. Each is
/// answered with an error that names the problem, and the emulator holds afterwards exactly what
/// it held before (secret versions, labels and values; every configuration byte).
@Suite(.timeLimit(.minutes(5))) struct RotationBadInputTests {
    static func state(_ kit: RotationTestKit, _ scenario: OriginSecretScenario) async throws -> EmulatorState {
        try await EmulatorState.capture(kit.setup, secrets: [scenario.secretName], distributions: scenario.distributionIds)
    }

    @Test func malformedEventsAreRefusedAndChangeNothing() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup)
        let token = try await scenario.startRotation(kit.setup)
        let before = try await Self.state(kit, scenario)
        let secret = scenario.secretName
        let events: [(String, String)] = [
            ("truncated", #"{"Step":"createSecret","SecretId":"\#(secret)","ClientRequestTo"#),
            ("not JSON", "createSecret \(secret) \(token)"),
            ("a JSON array", #"["createSecret","\#(secret)","\#(token)"]"#),
            ("null", "null"),
            ("empty object", "{}"),
            ("wrong types", #"{"Step":1,"SecretId":["\#(secret)"],"ClientRequestToken":{"id":"\#(token)"}}"#),
            ("unknown step", #"{"Step":"dropSecret","SecretId":"\#(secret)","ClientRequestToken":"\#(token)"}"#),
            ("missing token", #"{"Step":"createSecret","SecretId":"\#(secret)"}"#),
            ("a token that is no version", #"{"Step":"setSecret","SecretId":"\#(secret)","ClientRequestToken":"\#(UUID().uuidString)"}"#),
            ("unknown secret", #"{"Step":"createSecret","SecretId":"no-such-secret-\#(UUID().uuidString)","ClientRequestToken":"\#(token)"}"#),
            ("oversized", #"{"Step":"createSecret","SecretId":"\#(String(repeating: "s", count: 1 << 20))","ClientRequestToken":"\#(token)"}"#),
        ]
        try await RotationFunction.with(scenario, moto: kit.moto) { function in
            for (name, event) in events {
                let outcome = try await function.lambda.invoke(RuntimeAPIInvocation(event: Array(event.utf8), timeout: .seconds(60)))
                let report = try #require(outcome.errorReport, "\(name): answered with an error")
                let typed = ["KeyRotator.", "AWS.", "Runtime."].contains { report.errorType?.hasPrefix($0) == true }
                #expect(typed && report.errorMessage?.isEmpty == false, "\(name): a typed error with a message, not \(report.errorType ?? "none")")
            }
            let after = try await Self.state(kit, scenario)
            #expect(after.differences(from: before).isEmpty, "nothing changed: \(after.differences(from: before))")
            #expect(try await function.run(token: token) == nil, "the function still rotates after all of them")
        }
    }

    @Test(arguments: [
        ("not JSON", "this is not JSON", "InvalidSecret"),
        ("missing its key", #"{"OTHER_KEY":"x"}"#, "InvalidSecret"),
        ("the key of the wrong type", #"{"HTTP_API_KEY":12345}"#, "InvalidSecret"),
        ("a JSON array", #"["HTTP_API_KEY"]"#, "InvalidSecret"),
        ("truncated", #"{"HTTP_API_KEY":"abc"#, "InvalidSecret"),
    ])
    func aBrokenSecretIsNamedAndNothingChanges(name: String, secretString: String, code: String) async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup)
        let secrets = SecretsManagerClient(client: kit.setup)
        // The user's secret is broken before the rotation starts.
        _ = try await secrets.putSecretValue(secretId: scenario.secretName, clientRequestToken: UUID().uuidString, secretString: secretString,
                                             versionStages: ["AWSCURRENT"])
        let token = try await scenario.startRotation(kit.setup)
        let before = try await Self.state(kit, scenario)
        let report = try await RotationFunction.with(scenario, moto: kit.moto) { try await $0.run(token: token) }
        let failed = try #require(report, "\(name): the rotation fails")
        #expect(failed.errorType == "KeyRotator.\(code)", "\(name): \(failed.errorType ?? "")")
        #expect(failed.errorMessage?.contains(scenario.secretName) == true, "\(name): the message names the secret")
        let after = try await Self.state(kit, scenario)
        #expect(after.differences(from: before).isEmpty, "\(name): nothing changed: \(after.differences(from: before))")
    }

    /// CloudFront answers a configuration with a DOCTYPE and an entity (an attacker-controlled or
    /// broken proxy): the function refuses to parse it and sends no update.
    @Test func aConfigurationWithEntitiesIsRefusedBeforeAnyWrite() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup)
        let token = try await scenario.startRotation(kit.setup)
        try await FaultProxy.with(upstream: kit.moto) { proxy in
            proxy.addRule(.init("entity", when: .method("GET") && .pathPrefix("/2020-05-31/distribution/") && FaultProxy.Match { $0.path.hasSuffix("/config") },
                                action: .forwardThenTransform { response in
                var response = response
                let text = String(buffer: response.body)
                let injected = text.replacingOccurrences(of: "<DistributionConfig", with: "<!DOCTYPE d [<!ENTITY x \"expanded\">]><DistributionConfig")
                    .replacingOccurrences(of: "<Comment>", with: "<Comment>&x;")
                response.body = ByteBuffer(string: injected)
                return response
            }))
            let report = try await RotationFunction.with(scenario, moto: kit.moto, endpoint: proxy.endpoint) {
                try await $0.run([.createSecret, .setSecret], token: token)
            }
            let failed = try #require(report, "setSecret refuses the configuration")
            #expect(failed.errorMessage?.contains("DOCTYPE") == true, "the message says what is wrong: \(failed.errorMessage ?? "")")
            #expect(proxy.count(.method("PUT")) == 0, "no UpdateDistribution was sent")
        }
        for id in scenario.distributionIds {
            let config = try await CloudFrontClient(client: kit.setup).getDistributionConfig(id: id).config
            let untouched = config.xmlBytes == scenario.initialConfigs[id]?.xmlBytes
            #expect(untouched, "\(id) is untouched")
        }
    }

    /// Elements CloudFront may add in a later API version are not ours to drop: they go back byte
    /// for byte, beside the new header value.
    @Test func unknownElementsOfAConfigurationAreWrittenBackAsRead() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup)
        let token = try await scenario.startRotation(kit.setup)
        let future = "<FutureSetting><Mode>strict</Mode><Limit>3</Limit></FutureSetting>"
        try await FaultProxy.with(upstream: kit.moto) { proxy in
            proxy.addRule(.init("future element", when: .method("GET") && FaultProxy.Match { $0.path.hasSuffix("/config") },
                                action: .forwardThenTransform { response in
                var response = response
                response.body = ByteBuffer(string: String(buffer: response.body).replacingOccurrences(of: "</DistributionConfig>", with: future + "</DistributionConfig>"))
                return response
            }))
            let report = try await RotationFunction.with(scenario, moto: kit.moto, endpoint: proxy.endpoint) {
                try await $0.run([.createSecret, .setSecret], token: token)
            }
            #expect(report == nil)
            let writes = proxy.requests.filter { $0.method == .PUT }
            #expect(!writes.isEmpty)
            let kept = writes.allSatisfy { String(buffer: $0.body).contains(future) }
            #expect(kept, "every UpdateDistribution carries the unknown element as read")
        }
    }
}
