import AWSCore
import AWSServices
import Foundation
import KeyMaterial
import KeyRotation
import Testing
import TestSupport

/// `keyrotator origin doctor` against a setup held in moto: the secret, the distributions, the
/// two functions (read with GetFunctionConfiguration) and a REST API's Lambda authorizer.
@Suite("keyrotator origin doctor", .timeLimit(.minutes(2)))
struct OriginDoctorCLITests {
    struct Setup {
        var moto: MotoServer
        var scenario: OriginSecretScenario
        var arguments: [String]
    }

    /// A rotated secret with rotation on, a rotation function and an authorizer with `rotationTimeout`, `grace` and `resultTTL`.
    /// With `finishRotation` false the rotation is left where Secrets Manager starts it (AWSPENDING staged).
    static func setup(rotationTimeout: Int = 300, grace: Int = 1800, resultTTL: Int = 300, finishRotation: Bool = true) async throws -> Setup {
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
                                                           environment: scenario.environment(verifierCacheTTL: 60, verifierWaitMargin: 5))
        let authorizer = try await MotoLambda.createFunction(moto, name: "kr-authorizer-\(suffix)", handler: "origin-authorizer", timeout: 10,
                                                             environment: ["SECRET_NAME": scenario.secretName, "HEADER_NAME": scenario.headerName,
                                                                           "CACHE_TTL_SECONDS": "60", "PREVIOUS_GRACE_SECONDS": "\(grace)"])
        let api = try await MotoLambda.createRestAPI(moto, authorizer: authorizer, header: scenario.headerName, resultTTL: resultTTL)
        return Setup(moto: moto, scenario: scenario,
                     arguments: ["origin", "doctor", "--secret-id", scenario.secretName, "--distribution-id", scenario.distributionIds.joined(separator: ","),
                                 "--header-name", scenario.headerName, "--rotation-function", rotation, "--authorizer-function", authorizer, "--rest-api-id", api])
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
        #expect(checks.keys.sorted() == ["authorizer-function", "authorizer-result-ttl", "distributions", "grace-budget", "pending", "rotation", "rotation-function"])
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
        #expect((pending?["finding"] as? String)?.contains("a rotation is under way: AWSPENDING on version \(token)") == true, "\(result)")
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
}
