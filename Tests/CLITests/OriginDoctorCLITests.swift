import AWSCore
import AWSServices
import Foundation
import KeyMaterial
import KeyRotation
import NIOHTTP1
import Testing
import TestSupport

/// `keyrotator origin doctor` against a setup held in moto: the secret, the distributions, the
/// two functions (read with GetFunctionConfiguration) and a REST API's Lambda authorizer.
@Suite("keyrotator origin doctor", .timeLimit(.minutes(10)))
struct OriginDoctorCLITests {
    struct Setup {
        var moto: MotoServer
        var scenario: OriginSecretScenario
        var rotationFunction: String
        var authorizerFunction: String
        /// The REST API with the authorizer, or without one when `setup` was asked for that.
        var restApiId: String
        /// Every argument but `--rest-api-id`.
        var base: [String]
        var arguments: [String] { base + ["--rest-api-id", restApiId] }
    }

    /// A rotated secret with rotation on, a rotation function and an authorizer with `rotationTimeout`, `grace` and `resultTTL`.
    /// With `finishRotation` false the rotation is left where Secrets Manager starts it (AWSPENDING staged).
    /// `rotationEnvironment` and `authorizerEnvironment` change the functions' environments; with `lambdaAuthorizer`
    /// false the REST API has no authorizer.
    static func setup(rotationTimeout: Int = 300, grace: Int = 1800, resultTTL: Int = 300, finishRotation: Bool = true,
                      rotationEnvironment: [String: String] = [:], authorizerEnvironment: [String: String] = [:],
                      lambdaAuthorizer: Bool = true) async throws -> Setup {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 2)
        try await CLITestKit.deploy(client, scenario)
        let token = try await scenario.startRotation(client)
        let rotator = try CLITestKit.rotator(client, scenario)
        if finishRotation {
            for step in RotationStep.allCases { try await CLITestKit.run(rotator, step, scenario, token: token) }
        }
        let suffix = UUID().uuidString.prefix(8)
        let rotation = try await MotoLambda.createFunction(moto, name: "kr-rotation-\(suffix)", handler: "cloudfront-rotation", timeout: rotationTimeout,
                                                           environment: scenario.environment(verifierCacheTTL: 60, verifierWaitMargin: 5)
                                                               .merging(rotationEnvironment) { $1 })
        let authorizer = try await MotoLambda.createFunction(moto, name: "kr-authorizer-\(suffix)", handler: "origin-authorizer", timeout: 10,
                                                             environment: ["SECRET_NAME": scenario.secretName, "HEADER_NAME": scenario.headerName,
                                                                           "CACHE_TTL_SECONDS": "60", "PREVIOUS_GRACE_SECONDS": "\(grace)"]
                                                                 .merging(authorizerEnvironment) { $1 })
        let api: String
        if lambdaAuthorizer {
            api = try await MotoLambda.createRestAPI(moto, authorizer: authorizer, header: scenario.headerName, resultTTL: resultTTL)
        } else {
            struct API: Decodable { var id: String }
            let created: API = try await client.restJSON(service: .apiGateway, operation: "CreateRestApi", method: .POST, path: "/restapis",
                                                         input: ["name": "kr-no-authorizer-\(suffix)"])
            api = created.id
        }
        return Setup(moto: moto, scenario: scenario, rotationFunction: rotation, authorizerFunction: authorizer, restApiId: api,
                     base: ["origin", "doctor", "--secret-id", scenario.secretName, "--distribution-id", scenario.distributionIds.joined(separator: ","),
                            "--header-name", scenario.headerName, "--rotation-function", rotation, "--authorizer-function", authorizer])
    }

    /// Runs doctor with Secrets Manager behind a proxy that makes DescribeSecret report `rules` (a JSON object: moto
    /// keeps only AutomaticallyAfterDays and drops ScheduleExpression and Duration) and, with `pendingAge`, makes
    /// ListSecretVersionIds report every version that many seconds old (moto reports the time of the call).
    static func runRewritingSecretsManager(_ setup: Setup, _ arguments: [String], rules: String?, pendingAge: Double? = nil) async throws -> CLIProcess.Result {
        try await FaultProxy.with(upstream: setup.moto) { proxy in
            proxy.setRule { request in
                if let rules, request.target == "secretsmanager.DescribeSecret" {
                    return .forwardThenTransform { response in
                        rewriteJSON(response) { $0["RotationRules"] = try? JSONSerialization.jsonObject(with: Data(rules.utf8)) }
                    }
                }
                if let pendingAge, request.target == "secretsmanager.ListSecretVersionIds" {
                    return .forwardThenTransform { response in
                        rewriteJSON(response) { object in
                            let created = Date().timeIntervalSince1970 - pendingAge
                            object["Versions"] = (object["Versions"] as? [[String: Any]])?.map { $0.merging(["CreatedDate": created]) { $1 } }
                        }
                    }
                }
                return .forward
            }
            var environment = try CLIProcess.motoEnvironment(setup.moto)
            environment["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = proxy.endpoint
            return try await CLIProcess.run(arguments, environment: environment)
        }
    }

    static func rewriteJSON(_ response: FaultProxy.Response, _ change: (inout [String: Any]) -> Void) -> FaultProxy.Response {
        guard var object = (try? JSONSerialization.jsonObject(with: Data(response.bodyString.utf8))) as? [String: Any] else { return response }
        change(&object)
        guard let data = try? JSONSerialization.data(withJSONObject: object) else { return response }
        var rewritten = response
        rewritten.bodyString = String(decoding: data, as: UTF8.self)
        return rewritten
    }

    /// Runs doctor with `arguments` (JSON), expects exit 1 and the check `name` to be a problem; returns it.
    static func problem(_ name: String, _ setup: Setup, _ arguments: [String]) async throws -> (check: [String: Any], finding: String) {
        let result = try await CLIProcess.run(arguments + ["--json"], environment: try CLIProcess.motoEnvironment(setup.moto))
        #expect(result.exitCode == 1, "\(result)")
        let check = try #require(checks(try result.json())[name], "\(result)")
        #expect(check["status"] as? String == "problem", "\(result)")
        return (check, check["finding"] as? String ?? "")
    }

    static func checks(_ report: [String: Any]) -> [String: [String: Any]] {
        Dictionary(uniqueKeysWithValues: CLITestKit.array(report["checks"]).map { ($0["name"] as? String ?? "", $0) })
    }

    @Test("a sound setup passes every check and exits 0")
    func healthy() async throws {
        let setup = try await Self.setup()
        let result = try await CLIProcess.run(setup.arguments + ["--json"], environment: try CLIProcess.motoEnvironment(setup.moto))
        #expect(result.exitCode == 0, "\(result)")
        let report = try result.json()
        #expect(report["healthy"] as? Bool == true)
        let checks = Self.checks(report)
        #expect(checks.keys.sorted() == ["authorizer-function", "authorizer-result-ttl", "distributions", "grace-budget", "pending", "rotation", "rotation-function", "rotation-interval", "secret"])
        for (name, check) in checks { #expect(check["status"] as? String == "ok", "\(name): \(check["finding"] ?? "")") }
        #expect((checks["grace-budget"]?["finding"] as? String)?.contains("= 1260 s") == true, "900 + 300 + 60: \(checks["grace-budget"]?["finding"] ?? "")")
    }

    @Test("it names each problem and the command that fixes it, and exits 1")
    func problems() async throws {
        let setup = try await Self.setup(rotationTimeout: 30, grace: 600, resultTTL: 3600)
        let client = setup.moto.client()
        _ = try await CLITestKit.editHeader(client, distributionId: setup.scenario.distributionIds[1], headerName: setup.scenario.headerName,
                                                    to: "changed-by-hand-\(UUID().uuidString)")
        let result = try await CLIProcess.run(setup.arguments, environment: try CLIProcess.motoEnvironment(setup.moto))
        #expect(result.exitCode == 1, "\(result)")
        let out = result.stdout
        #expect(out.contains("PROBLEM rotation-function: "), "\(result)")
        #expect(out.contains("its timeout, 30 s, is shorter than setSecret's wait for the verifiers (65 s)"))
        #expect(out.contains("--timeout 125"))
        #expect(out.contains("PROBLEM grace-budget: AWSPREVIOUS is accepted for 600 s, less than CloudFront propagation (900 s) + the result TTL (3600 s) + the verifier's TTL (60 s) = 4560 s"))
        #expect(out.contains("fix: set the authorizer's PREVIOUS_GRACE_SECONDS to at least 4560"))
        #expect(out.contains("PROBLEM distributions: distribution \(setup.scenario.distributionIds[1])"))
        #expect(out.contains("ok      authorizer-result-ttl: REST API"))
        #expect(out.contains("3 problems found."))
        let value = try #require(try await CLITestKit.currentValue(client, setup.scenario.secretName))
        #expect(!out.contains(value) && !result.stderr.contains(value))
    }

    @Test("a rotation left AWSPENDING is reported as under way while it is young")
    func rotationUnderWay() async throws {
        let setup = try await Self.setup(finishRotation: false)
        let token = try #require(try await SecretsManagerClient(client: setup.moto.client()).describeSecret(secretId: setup.scenario.secretName).version(withStage: .pending))
        let result = try await CLIProcess.run(setup.arguments + ["--json"], environment: try CLIProcess.motoEnvironment(setup.moto))
        let pending = Self.checks(try result.json())["pending"]
        #expect(pending?["status"] as? String == "ok")
        #expect((pending?["finding"] as? String)?.contains("a rotation is under way or being retried by Secrets Manager: AWSPENDING on version \(token)") == true, "\(result)")
    }

    @Test("an unknown function is an AWS error that names it (exit 3)")
    func unknownFunction() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1)
        let result = try await CLIProcess.run(["origin", "doctor", "--secret-id", scenario.secretName, "--rotation-function", "kr-no-such-function"],
                                              environment: try CLIProcess.motoEnvironment(moto))
        #expect(result.exitCode == 3, "\(result)")
        #expect(result.stderr.contains("kr-no-such-function") || result.stderr.contains("Function not found"), "\(result)")
    }

    @Test("an AWSPENDING older than Secrets Manager's retries is stuck; within the rotation window it may be a retry")
    func stuckPending() async throws {
        let setup = try await Self.setup(finishRotation: false)
        let token = try #require(try await SecretsManagerClient(client: setup.moto.client()).describeSecret(secretId: setup.scenario.secretName).version(withStage: .pending))

        let forced = try await CLIProcess.run(setup.arguments + ["--pending-stuck-after", "0"], environment: try CLIProcess.motoEnvironment(setup.moto))
        #expect(forced.exitCode == 1, "\(forced)")
        #expect(forced.stdout.contains("PROBLEM pending: AWSPENDING is stuck on version \(token)"), "\(forced)")
        #expect(forced.stdout.contains("aws secretsmanager update-secret-version-stage --secret-id \(setup.scenario.secretName) --version-stage AWSPENDING --remove-from-version-id \(token)"))

        // Two hours old: a daily schedule's window (a day) is not over, Secrets Manager may still be retrying it.
        let daily = try await Self.runRewritingSecretsManager(setup, setup.arguments + ["--json"], rules: #"{"AutomaticallyAfterDays":30}"#, pendingAge: 7200)
        let retrying = Self.checks(try daily.json())["pending"]
        #expect(retrying?["status"] as? String == "ok", "\(daily)")
        #expect((retrying?["finding"] as? String)?.contains("stuck if it is still there after 86400 s") == true, "\(daily)")

        // Two hours old with a one-hour window every four hours: stuck.
        let hourly = try await Self.runRewritingSecretsManager(setup, setup.arguments + ["--json"], rules: #"{"ScheduleExpression":"rate(4 hours)","Duration":"1h"}"#, pendingAge: 7200)
        let stuck = Self.checks(try hourly.json())["pending"]
        #expect(stuck?["status"] as? String == "problem", "\(hourly)")
        #expect((stuck?["finding"] as? String)?.contains("longer than Secrets Manager retries a rotation (3600 s)") == true, "\(hourly)")

        // A cron schedule that starts every six hours has a one-hour window without a Duration: stuck too.
        let cron = try await Self.runRewritingSecretsManager(setup, setup.arguments + ["--json"], rules: #"{"ScheduleExpression":"cron(0 */6 * * ? *)"}"#, pendingAge: 7200)
        #expect(Self.checks(try cron.json())["pending"]?["status"] as? String == "problem", "\(cron)")
    }

    @Test("rotation off is a problem, and the schedule its fix suggests passes the interval check")
    func rotationOff() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1)
        let result = try await CLIProcess.run(["origin", "doctor", "--secret-id", scenario.secretName, "--json"], environment: try CLIProcess.motoEnvironment(moto))
        #expect(result.exitCode == 1, "\(result)")
        let checks = Self.checks(try result.json())
        #expect(checks["rotation"]?["status"] as? String == "problem")
        #expect((checks["rotation"]?["finding"] as? String)?.hasPrefix("rotation is off") == true)
        let fix = try #require(checks["rotation"]?["fix"] as? String)
        #expect(fix.contains("--rotation-rules '{\"ScheduleExpression\":\"rate(30 days)\"}'"), "\(fix)")
        #expect(checks["rotation-function"]?["status"] as? String == "skipped")
        #expect(checks["rotation-interval"]?["status"] as? String == "skipped")
    }

    @Test("a rotation function whose SECRET_KEY_NAME, HEADER_NAME and CLOUDFRONT_DISTRIBUTION_ID disagree with the setup")
    func rotationEnvironmentMismatch() async throws {
        let setup = try await Self.setup()
        let distributions = setup.scenario.distributionIds
        // A rotation function for another key and header that names only the first distribution.
        let narrowed = try await MotoLambda.createFunction(setup.moto, name: "kr-rotation-narrow-\(UUID().uuidString.prefix(8))", handler: "cloudfront-rotation", timeout: 300,
                                                           environment: setup.scenario.environment(verifierCacheTTL: 60, verifierWaitMargin: 5)
                                                               .merging(["SECRET_KEY_NAME": "OTHER_KEY", "HEADER_NAME": "x-other-header",
                                                                         "CLOUDFRONT_DISTRIBUTION_ID": distributions[0]]) { $1 })
        var arguments = setup.arguments
        if let index = arguments.firstIndex(of: "--rotation-function") { arguments[index + 1] = narrowed }
        let (check, finding) = try await Self.problem("rotation-function", setup, arguments)
        #expect(finding.contains("SECRET_KEY_NAME is OTHER_KEY, the secret's key is HTTP_API_KEY"), "\(finding)")
        #expect(finding.contains("HEADER_NAME is x-other-header, the origins use \(setup.scenario.headerName)"), "\(finding)")
        #expect(finding.contains("CLOUDFRONT_DISTRIBUTION_ID lacks \(distributions[1])"), "\(finding)")
        #expect((check["fix"] as? String)?.contains("--environment (SECRET_KEY_NAME, HEADER_NAME, CLOUDFRONT_DISTRIBUTION_ID as above)") == true)
    }

    @Test("an authorizer whose environment names another key and header refuses every request")
    func authorizerEnvironmentMismatch() async throws {
        let setup = try await Self.setup(authorizerEnvironment: ["SECRET_KEY_NAME": "OTHER_KEY", "HEADER_NAME": "x-other-header"])
        let (_, finding) = try await Self.problem("authorizer-function", setup, setup.arguments)
        #expect(finding.contains("SECRET_KEY_NAME is OTHER_KEY"), "\(finding)")
        #expect(finding.contains("HEADER_NAME is x-other-header, the origins send \(setup.scenario.headerName)"), "\(finding)")
        #expect(finding.hasSuffix(": it refuses every request."))
    }

    @Test("VERIFIER_CACHE_TTL_SECONDS shorter than the authorizer's CACHE_TTL_SECONDS")
    func verifierWaitShorterThanCache() async throws {
        let setup = try await Self.setup(rotationEnvironment: ["VERIFIER_CACHE_TTL_SECONDS": "10"])
        let (check, finding) = try await Self.problem("grace-budget", setup, setup.arguments)
        #expect(finding.contains("the rotation function's VERIFIER_CACHE_TTL_SECONDS (10 s) is shorter than the authorizer's CACHE_TTL_SECONDS (60 s)"), "\(finding)")
        #expect((check["fix"] as? String)?.contains("set VERIFIER_CACHE_TTL_SECONDS to 60") == true)
    }

    @Test("a REST API without a Lambda authorizer: nothing checks the header")
    func restAPIWithoutAuthorizer() async throws {
        let setup = try await Self.setup(lambdaAuthorizer: false)
        let (check, finding) = try await Self.problem("authorizer-result-ttl", setup, setup.arguments)
        #expect(finding == "REST API \(setup.restApiId) has no Lambda authorizer invoking \(setup.authorizerFunction): nothing checks the header.")
        #expect((check["fix"] as? String)?.hasPrefix("aws apigateway create-authorizer --rest-api-id \(setup.restApiId) --type REQUEST") == true)
    }

    /// moto 5.2.1 has no GetAuthorizers for HTTP APIs (only Create/Get/Update/DeleteAuthorizer by id): API Gateway is
    /// a stand-in that answers `GET /v2/apis/{apiId}/authorizers` in the real wire format.
    @Test("an HTTP API's Lambda authorizer gives the result TTL (API Gateway v2 GetAuthorizers)")
    func httpAPIResultTTL() async throws {
        let setup = try await Self.setup()
        let uri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/\(setup.authorizerFunction)/invocations"
        let authorizers = #"{"items":[{"authorizerId":"jwt0001","authorizerType":"JWT","identitySource":["$request.header.Authorization"],"name":"users"},"#
            + #"{"authorizerId":"lam0001","authorizerType":"REQUEST","authorizerUri":"\#(uri)","authorizerPayloadFormatVersion":"2.0","#
            + #""authorizerResultTtlInSeconds":120,"enableSimpleResponses":true,"identitySource":["$request.header.\#(setup.scenario.headerName)"],"name":"origin"}]}"#
        try await StubHTTPServer.with({ request, _ in
            request.uri.hasPrefix("/v2/apis/h1t2a3p4i5/authorizers") ? .respond(status: 200, headers: ["content-type": "application/json"], body: authorizers)
                : .respond(status: 404, headers: ["x-amzn-ErrorType": "NotFoundException", "content-type": "application/json"], body: #"{"message":"Invalid API identifier specified"}"#)
        }) { apiGateway in
            var environment = try CLIProcess.motoEnvironment(setup.moto)
            environment["AWS_ENDPOINT_URL_API_GATEWAY"] = apiGateway.endpoint
            let result = try await CLIProcess.run(setup.base + ["--http-api-id", "h1t2a3p4i5", "--json"], environment: environment)
            #expect(result.exitCode == 0, "\(result)")
            let checks = Self.checks(try result.json())
            #expect(checks["authorizer-result-ttl"]?["finding"] as? String == "HTTP API h1t2a3p4i5: Lambda authorizer results cached for up to 120 s.", "\(result)")
            #expect((checks["grace-budget"]?["finding"] as? String)?.contains("= 1080 s") == true, "900 + 120 + 60: \(result)")
            let request = try #require(apiGateway.requests.first)
            #expect(request.method == .GET)
            #expect(request.headers.first(name: "authorization")?.contains("/apigateway/aws4_request") == true, "signed for API Gateway")

            let unknown = try await CLIProcess.run(setup.base + ["--http-api-id", "nope000000"], environment: environment)
            #expect(unknown.exitCode == 3, "\(unknown)")
            #expect(unknown.stderr.contains("NotFoundException"), "\(unknown)")
        }
        let jwtOnly = #"{"items":[{"authorizerId":"jwt0001","authorizerType":"JWT","identitySource":["$request.header.Authorization"],"name":"users"}]}"#
        try await StubHTTPServer.with({ _, _ in .respond(status: 200, headers: ["content-type": "application/json"], body: jwtOnly) }) { apiGateway in
            var environment = try CLIProcess.motoEnvironment(setup.moto)
            environment["AWS_ENDPOINT_URL_API_GATEWAY"] = apiGateway.endpoint
            let result = try await CLIProcess.run(setup.base + ["--http-api-id", "h1t2a3p4i5"], environment: environment)
            #expect(result.exitCode == 1, "\(result)")
            #expect(result.stdout.contains("PROBLEM authorizer-result-ttl: HTTP API h1t2a3p4i5 has no Lambda authorizer invoking"), "\(result)")
            #expect(result.stdout.contains("aws apigatewayv2 create-authorizer --api-id h1t2a3p4i5 --authorizer-type REQUEST"))
        }
    }

    /// moto keeps only AutomaticallyAfterDays: a proxy makes DescribeSecret report each form of the rules as the real
    /// service does. The grace is 1800 s (PREVIOUS_GRACE_SECONDS in `setup`) unless the case says otherwise.
    @Test("the shortest interval the rules allow, every form, against the grace; the suggested schedule passes")
    func rotationIntervalAgainstGrace() async throws {
        let setup = try await Self.setup(grace: 100_000)
        let cases: [(rules: String, status: String, finding: String)] = [
            (#"{"AutomaticallyAfterDays":2}"#, "problem", "every 2 days, a window of 24 h: two rotations may be 86400 s apart, not longer than the grace period (100000 s)"),
            (#"{"AutomaticallyAfterDays":3}"#, "ok", "every 3 days, a window of 24 h: two rotations may be 172800 s apart, longer than the grace period (100000 s)"),
            (#"{"ScheduleExpression":"rate(1 days)"}"#, "problem", "rate(1 days), a window of 24 h: two rotations may be 0 s apart"),
            (#"{"ScheduleExpression":"rate(48 hours)","Duration":"2h"}"#, "ok", "rate(48 hours), a window of 2 h: two rotations may be 165600 s apart"),
            (#"{"ScheduleExpression":"cron(0 */6 * * ? *)","Duration":"2h"}"#, "problem", "cron(0 */6 * * ? *), a window of 2 h: two rotations may be 14400 s apart"),
            (#"{"ScheduleExpression":"cron(0 8 ? * MON,THU *)","Duration":"4h"}"#, "ok", "cron(0 8 ? * MON,THU *), a window of 4 h: two rotations may be 244800 s apart"),
            (#"{"ScheduleExpression":"cron(0 8 1,2 * ? *)"}"#, "problem", "cron(0 8 1,2 * ? *), a window to the end of the UTC day: two rotations may be 28800 s apart"),
            (#"{"ScheduleExpression":"cron(0 8 L * ? *)"}"#, "skipped", "cannot check that rotations are further apart than the grace (100000 s): cron(0 8 L * ? *): field 3 (L) uses L, W or #"),
        ]
        for item in cases {
            let result = try await Self.runRewritingSecretsManager(setup, setup.arguments + ["--json"], rules: item.rules)
            let check = Self.checks(try result.json())["rotation-interval"]
            #expect(check?["status"] as? String == item.status, "\(item.rules): \(result)")
            #expect((check?["finding"] as? String)?.contains(item.finding) == true, "\(item.rules): \(check?["finding"] ?? "")")
            if item.status == "problem" {
                #expect((check?["fix"] as? String)?.contains(#"--rotation-rules '{"ScheduleExpression":"rate(30 days)"}' --no-rotate-immediately"#) == true, "\(check?["fix"] ?? "")")
            }
        }
        // The schedule doctor suggests is one doctor checks, and it passes.
        let suggested = try await Self.runRewritingSecretsManager(setup, setup.arguments + ["--json"], rules: #"{"ScheduleExpression":"rate(30 days)"}"#)
        let check = Self.checks(try suggested.json())["rotation-interval"]
        #expect(check?["status"] as? String == "ok", "\(suggested)")
        #expect(try suggested.json()["healthy"] as? Bool == true, "\(suggested)")
    }
}
