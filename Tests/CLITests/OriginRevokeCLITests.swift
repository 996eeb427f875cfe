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
@Suite("keyrotator origin revoke", .timeLimit(.minutes(10)))
struct OriginRevokeCLITests {
    static let stepsHere = ["--run-steps-here", "--poll-interval", "0.05", "--timeout", "60", "--verifier-cache-ttl", "0", "--verifier-wait-margin", "0"]

    @Test("the compromised value loses every label, a verifier refuses it after its refresh, and the stage's authorizer cache is flushed")
    func revokeAndFlush() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1)
        let secrets = SecretsManagerClient(client: client)
        let compromised = try #require(try await secrets.describeSecret(secretId: scenario.secretName).version(withStage: .current))
        // Every check refreshes first (no cache) and waits for that refresh however loaded the machine
        // is: a wait cut short would answer from the last ring and say nothing about the revocation.
        let verifier = OriginVerifier(configuration: .init(secretId: scenario.secretName, cacheTTL: .zero, refreshTimeout: .seconds(120)),
                                      secretsManager: secrets, logger: Logger(label: "test"))
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
        let line = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("An API Gateway result cache not flushed here") })
        let until = try #require(line.split(separator: "may allow it until ").last?.prefix(20))
        let untilDate = try #require(ISO8601DateFormatter().date(from: String(until)), "an ISO 8601 time: \(until)")
        #expect(untilDate.timeIntervalSince(started) >= 119 && untilDate.timeIntervalSince(started) <= 120 + 60)
        #expect(result.stdout.contains("(cache TTL 0 s, --verifier-cache-ttl and the verifier's defaults)"), "\(result)")
        #expect(result.stdout.contains("A verifier that cannot reach Secrets Manager keeps its last key ring for its stale-if-error period (900 s): it may allow it until "))
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

    static func date(_ value: Any?) -> Date? {
        (value as? String).flatMap { ISO8601DateFormatter().date(from: $0) }
    }

    @Test("with --authorizer-function the exposure uses its CACHE_TTL_SECONDS and STALE_IF_ERROR_SECONDS; the flush waits for that TTL")
    func exposureFromTheAuthorizer() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1)
        let authorizer = try await MotoLambda.createFunction(moto, name: "kr-authorizer-\(UUID().uuidString.prefix(8))", handler: "origin-authorizer", timeout: 10,
                                                             environment: ["SECRET_NAME": scenario.secretName, "CACHE_TTL_SECONDS": "2", "STALE_IF_ERROR_SECONDS": "300"])
        try await StubHTTPServer.with({ _, _ in .respond(status: 202) }) { apiGateway in
            var environment = try CLIProcess.motoEnvironment(moto)
            environment["AWS_ENDPOINT_URL_API_GATEWAY"] = apiGateway.endpoint
            let result = try await CLIProcess.run(["origin", "revoke", "--secret-id", scenario.secretName, "--distribution-id", scenario.distributionIds[0],
                                                   "--authorizer-function", authorizer, "--authorizer-result-ttl", "120", "--rest-api-id", "a1b2c3d4e5", "--stage", "prod", "--json"]
                                                  + Self.stepsHere, environment: environment)
            #expect(result.exitCode == 0, "\(result)")
            let report = try result.json()
            #expect(report["verifierSettingsFrom"] as? String == authorizer.split(separator: ":").last.map(String.init))
            #expect(report["verifierCacheTTLSeconds"] as? Int == 2, "the authorizer's 2 s, not --verifier-cache-ttl's 0")
            #expect(report["staleIfErrorSeconds"] as? Int == 300)
            let refuseBy = try #require(Self.date(report["verifiersRefuseBy"]))
            let failing = try #require(Self.date(report["verifiersFailingToRefreshMayAllowUntil"]))
            let cachesIfFailing = try #require(Self.date(report["cachesMayAllowUntilIfVerifiersFail"]))
            #expect(abs(failing.timeIntervalSince(refuseBy) - 300) <= 1)
            #expect(abs(cachesIfFailing.timeIntervalSince(failing) - 120) <= 1)
            let flushedAt = try #require(Self.date((report["flushed"] as? [String: Any])?["at"]))
            #expect(flushedAt >= refuseBy.addingTimeInterval(-1), "flushed only after the authorizer's cache TTL has passed")
            #expect(apiGateway.requests.count == 1)

            let text = try await CLIProcess.run(["origin", "revoke", "--secret-id", scenario.secretName, "--distribution-id", scenario.distributionIds[0],
                                                 "--authorizer-function", authorizer, "--authorizer-result-ttl", "120"] + Self.stepsHere,
                                                environment: try CLIProcess.motoEnvironment(moto))
            #expect(text.exitCode == 0, "\(text)")
            #expect(text.stdout.contains("(cache TTL 2 s, read from \(report["verifierSettingsFrom"] as? String ?? "?"))"), "\(text)")
            #expect(text.stdout.contains("keeps its last key ring for its stale-if-error period (300 s)"), "\(text)")
        }
    }

    @Test("an authorizer function that cannot start stops revoke before anything is rotated (exit 3)")
    func badAuthorizerFunction() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1)
        let current = try await SecretsManagerClient(client: client).describeSecret(secretId: scenario.secretName).version(withStage: .current)
        let authorizer = try await MotoLambda.createFunction(moto, name: "kr-authorizer-\(UUID().uuidString.prefix(8))", handler: "origin-authorizer", timeout: 10,
                                                             environment: ["CACHE_TTL_SECONDS": "60"])
        let result = try await CLIProcess.run(["origin", "revoke", "--secret-id", scenario.secretName, "--distribution-id", scenario.distributionIds[0],
                                               "--authorizer-function", authorizer] + Self.stepsHere, environment: try CLIProcess.motoEnvironment(moto))
        #expect(result.exitCode == 3, "\(result)")
        #expect(result.stderr.contains("cannot start"), "\(result)")
        #expect(result.stderr.contains("SECRET_NAME"), "\(result)")
        #expect(result.stderr.contains("Nothing was rotated."))
        #expect(try await SecretsManagerClient(client: client).describeSecret(secretId: scenario.secretName).version(withStage: .current) == current)
    }

    /// The default mode: revoke calls RotateSecret and follows Secrets Manager's rotation. moto cannot invoke a
    /// Lambda function here (it runs them in Docker), so a proxy in front of it plays Secrets Manager's side:
    /// on RotateSecret it stages AWSPENDING on the CLI's token in moto (RotateSecret with a function moto does not
    /// know, as the harness starts every rotation), runs the four steps of the real rotation code as the function
    /// would, then answers. Every other call is moto's.
    @Test("default mode: the rotation runs through Secrets Manager's rotation function, then the old value is revoked")
    func revokeThroughTheRotationFunction() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1)
        try await CLITestKit.deploy(client, scenario)
        // A first rotation configures the rotation function on the secret, as a deployed setup has it.
        let first = try await scenario.startRotation(client)
        let rotator = try CLITestKit.rotator(client, scenario)
        for step in RotationStep.allCases { try await CLITestKit.run(rotator, step, scenario, token: first) }
        try await scenario.clearPendingLabel(client, version: first)
        let compromised = try #require(try await SecretsManagerClient(client: client).describeSecret(secretId: scenario.secretName).version(withStage: .current))
        let compromisedValue = try #require(try await CLITestKit.currentValue(client, scenario.secretName))

        let (result, rotateCalls) = try await FaultProxy.with(upstream: moto) { proxy in
            proxy.setRule { request in
                guard request.target == "secretsmanager.RotateSecret" else { return .forward }
                return .run { request in
                    struct Input: Decodable { var ClientRequestToken: String }
                    guard let token = try? JSONDecoder().decode(Input.self, from: Data(request.bodyString.utf8)).ClientRequestToken else {
                        return .respond(status: .badRequest, headers: ["content-type": "application/x-amz-json-1.1"], body: #"{"__type":"InvalidParameterException","message":"no token"}"#)
                    }
                    do {
                        do {
                            _ = try await SecretsManagerClient(client: client).rotateSecret(
                                secretId: scenario.secretName, clientRequestToken: token,
                                rotationLambdaARN: "arn:aws:lambda:us-east-1:123456789012:function:keyrotator-not-deployed",
                                rotationRules: RotationRules(automaticallyAfterDays: 30))
                        } catch let error as AWSError where error.code == "ResourceNotFoundException" {}
                        for step in RotationStep.allCases { try await CLITestKit.run(rotator, step, scenario, token: token) }
                    } catch {
                        return .respond(status: .internalServerError, headers: ["content-type": "application/x-amz-json-1.1"], body: #"{"__type":"InternalServiceError","message":"rotation failed"}"#)
                    }
                    return .respond(status: .ok, headers: ["content-type": "application/x-amz-json-1.1"],
                                    body: #"{"ARN":"arn:aws:secretsmanager:us-east-1:123456789012:secret:\#(scenario.secretName)","Name":"\#(scenario.secretName)","VersionId":"\#(token)"}"#)
                }
            }
            var environment = try CLIProcess.motoEnvironment(moto)
            environment["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = proxy.endpoint
            let result = try await CLIProcess.run(["origin", "revoke", "--secret-id", scenario.secretName, "--distribution-id", scenario.distributionIds[0],
                                                   "--poll-interval", "0.1", "--timeout", "60", "--verifier-cache-ttl", "0", "--verifier-wait-margin", "0", "--json"],
                                                  environment: environment)
            return (result, proxy.count(.target("RotateSecret")))
        }

        #expect(result.exitCode == 0, "\(result)")
        #expect(rotateCalls == 1, "one RotateSecret, by the CLI")
        let report = try result.json()
        let rotation = try #require(report["rotation"] as? [String: Any])
        #expect(rotation["mode"] as? String == "service")
        #expect(rotation["outcome"] as? String == "rotated")
        #expect(report["revokedVersionId"] as? String == compromised)
        #expect(report["previousRemovedFrom"] as? String == compromised)
        let stages = try await SecretsManagerClient(client: client).describeSecret(secretId: scenario.secretName).versionIdsToStages ?? [:]
        #expect(stages[compromised, default: []].isEmpty, "the compromised version holds no label")
        let newValue = try #require(try await CLITestKit.currentValue(client, scenario.secretName))
        #expect(newValue != compromisedValue)
        let leaked = [compromisedValue, newValue].contains { result.stdout.contains($0) || result.stderr.contains($0) }
        #expect(!leaked, "no value in the output, only fingerprints")
    }
}
