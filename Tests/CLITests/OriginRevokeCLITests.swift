import AWSCore
import AWSServices
import KeyRotation
import Foundation
import KeyMaterial
import Logging
import NIOHTTP1
import OriginVerifier
import Testing
import TestSupport

/// `keyrotator origin revoke`: rotates, takes the compromised value's last label away so that a
/// verifier refuses it at its next refresh, and flushes a REST API stage's authorizer cache.
/// moto has no FlushStageAuthorizersCache: API Gateway is a stand-in that records the signed
/// request (AWS_ENDPOINT_URL_API_GATEWAY), everything else is moto.
@Suite("keyrotator origin revoke", .timeLimit(.minutes(2)))
struct OriginRevokeCLITests {
    static let stepsHere = ["--run-steps-here", "--poll-interval", "0.05", "--timeout", "60", "--verifier-cache-ttl", "0", "--verifier-wait-margin", "0"]

    @Test("the compromised value loses every label, a verifier refuses it after its refresh, and the stage's authorizer cache is flushed")
    func revokeAndFlush() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1)
        let secrets = SecretsManagerClient(client: client)
        let compromised = try #require(try await secrets.describeSecret(secretId: scenario.secretName).version(withStage: .current))
        let verifier = OriginVerifier(configuration: .init(secretId: scenario.secretName, cacheTTL: .zero), secretsManager: secrets, logger: Logger(label: "test"))
        #expect(await verifier.verify(headerValue: scenario.initialValue) == .allowed(.current))

        try await StubHTTPServer.with({ _, _ in .respond(status: 202) }) { apiGateway in
            var environment = try CLIProcess.motoEnvironment(moto)
            environment["AWS_ENDPOINT_URL_API_GATEWAY"] = apiGateway.endpoint
            let result = try await CLIProcess.run(["origin", "revoke", "--secret-id", scenario.secretName, "--distribution-id", scenario.distributionIds[0],
                                                   "--rest-api-id", "a1b2c3d4e5", "--stage", "prod", "--json"] + Self.stepsHere, environment: environment)
            #expect(result.exitCode == 0, "\(result)")
            let report = try result.json()
            #expect(report["revoked"] as? Bool == true)
            #expect(report["revokedVersionId"] as? String == compromised)
            #expect(report["revokedFingerprint"] as? String == fingerprint(scenario.initialValue))
            #expect(report["previousRemovedFrom"] as? String == compromised)
            let flushed = try #require(report["flushed"] as? [String: Any])
            #expect(flushed["restApiId"] as? String == "a1b2c3d4e5" && flushed["stage"] as? String == "prod")
            #expect((report["rotation"] as? [String: Any])?["outcome"] as? String == "rotated")

            let requests = apiGateway.requests
            #expect(requests.count == 1)
            #expect(requests.first?.method == .DELETE)
            #expect(requests.first?.uri == "/restapis/a1b2c3d4e5/stages/prod/cache/authorizers")
            #expect(requests.first?.headers.first(name: "authorization")?.contains("/apigateway/aws4_request") == true, "signed for API Gateway")

            let newValue = try #require(try await CLITestKit.currentValue(client, scenario.secretName))
            let leaked = [scenario.initialValue, newValue].contains { result.stdout.contains($0) || result.stderr.contains($0) }
            #expect(!leaked, "no value in the output, only fingerprints")
        }

        let stages = try await secrets.describeSecret(secretId: scenario.secretName).versionIdsToStages ?? [:]
        #expect(stages[compromised, default: []].isEmpty, "the compromised version holds no label")
        #expect(stages.values.filter { $0.contains(.current) }.count == 1)
        #expect(!stages.values.contains { $0.contains(.previous) || $0.contains(.pending) })
        let newValue = try #require(try await CLITestKit.currentValue(client, scenario.secretName))
        #expect(await verifier.verify(headerValue: scenario.initialValue) == .denied(.unknownValue), "refused at the verifier's next refresh, not after the grace period")
        #expect(await verifier.verify(headerValue: newValue) == .allowed(.current))
        let target = CloudFrontHeaderTarget(cloudFront: CloudFrontClient(client: client), distributionIds: scenario.distributionIds, headerName: scenario.headerName)
        #expect(try await target.originsNotSending(newValue).isEmpty)
    }

    @Test("without a REST API, it says until when a result cache may still allow the old value, and that edges sending it are refused")
    func revokeTellsTheRemainingExposure() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1)
        let started = Date()
        let result = try await CLIProcess.run(["origin", "revoke", "--secret-id", scenario.secretName, "--distribution-id", scenario.distributionIds[0],
                                               "--authorizer-result-ttl", "120"] + Self.stepsHere, environment: try CLIProcess.motoEnvironment(moto))
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("Revoked   sha256:\(fingerprint(scenario.initialValue))"), "\(result)")
        #expect(result.stdout.contains("Verifiers refuse it at their next refresh, by "))
        #expect(result.stdout.contains("may allow it until "))
        #expect(result.stdout.contains("(the result TTL, 120 s, after the verifiers refuse it)"))
        #expect(result.stdout.contains("Edges still sending the old value are refused from now on"))
        #expect(!result.stdout.contains("flushed at"))
        let until = try #require(result.stdout.split(separator: "may allow it until ").last?.prefix(20))
        let untilDate = try #require(ISO8601DateFormatter().date(from: String(until)), "an ISO 8601 time: \(until)")
        #expect(untilDate.timeIntervalSince(started) >= 119 && untilDate.timeIntervalSince(started) <= 120 + 60)
    }

    @Test("a flush that fails says the value is revoked in Secrets Manager and how to retry the flush")
    func flushFailure() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1)
        let compromised = try #require(try await SecretsManagerClient(client: client).describeSecret(secretId: scenario.secretName).version(withStage: .current))
        let notFound: StubHTTPServer.Handler = { _, _ in
            .respond(status: 404, headers: ["x-amzn-ErrorType": "NotFoundException", "content-type": "application/json"],
                     body: #"{"message":"Invalid stage identifier specified"}"#)
        }
        try await StubHTTPServer.with(notFound) { apiGateway in
            var environment = try CLIProcess.motoEnvironment(moto)
            environment["AWS_ENDPOINT_URL_API_GATEWAY"] = apiGateway.endpoint
            let result = try await CLIProcess.run(["origin", "revoke", "--secret-id", scenario.secretName, "--distribution-id", scenario.distributionIds[0],
                                                   "--rest-api-id", "a1b2c3d4e5", "--stage", "nope"] + Self.stepsHere, environment: environment)
            #expect(result.exitCode == 3, "\(result)")
            #expect(result.stderr.contains("the old value is revoked in Secrets Manager, but flushing the authorizer cache of REST API a1b2c3d4e5 stage nope failed (NotFoundException)"), "\(result)")
            #expect(result.stderr.contains("aws apigateway flush-stage-authorizers-cache --rest-api-id a1b2c3d4e5 --stage-name nope"))
        }
        let stages = try await SecretsManagerClient(client: client).describeSecret(secretId: scenario.secretName).versionIdsToStages ?? [:]
        #expect(stages[compromised, default: []].isEmpty)
    }

    @Test("--stage needs --rest-api-id")
    func stageNeedsTheAPI() async throws {
        let result = try await CLIProcess.run(["origin", "revoke", "--secret-id", "s", "--stage", "prod"], environment: try CLIProcess.motoEnvironment(try await MotoServer.shared()))
        #expect(result.exitCode == 2, "\(result)")
        #expect(result.stderr.contains("--rest-api-id and --stage go together"))
    }
}
