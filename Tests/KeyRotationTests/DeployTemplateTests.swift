import AWSServices
import Foundation
import KeyRotation
import LocalEmulator
import Testing
import TestSupport

/// deploy/template.yaml: it lints, and the IAM policies it gives the functions are exactly enough:
/// a rotation run with the rotation function's policy succeeds, and fails without any one action.
@Suite struct DeployTemplateTests {
    struct TemplateUser: Decodable, CustomStringConvertible {
        var accessKeyId: String
        var secretAccessKey: String
        var actions: [String]

        /// Never the secret key, should an expectation print a user.
        var description: String { "TemplateUser(\(accessKeyId), actions: \(actions))" }
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> BuiltProduct.Result {
        try await BuiltProduct.Running(executable: executable, arguments: arguments, environment: environment).wait(timeout: .seconds(120))
    }

    /// An emulator user whose policy is `function`'s policy in the template, less `drop`.
    static func user(_ moto: MotoServer, function: String, drop: String? = nil) async throws -> TemplateUser {
        var environment = moto.environment()
        environment["PATH"] = "/usr/bin:/bin"
        let root = moto.repositoryRoot
        let result = try await run(moto.python.path, [root.appendingPathComponent("scripts/iam_user_from_template.py").path,
                                                      root.appendingPathComponent("deploy/template.yaml").path, function]
                                       + (drop.map { ["--drop", $0] } ?? []), environment: environment)
        try #require(result.exitCode == 0, "\(result.stderr)")
        return try JSONDecoder().decode(TemplateUser.self, from: Data(result.stdout.utf8))
    }

    @Test func theTemplatePassesCfnLint() async throws {
        let moto = try await MotoServer.shared()
        let root = moto.repositoryRoot
        let result = try await Self.run(root.appendingPathComponent(".venv/bin/cfn-lint").path, [root.appendingPathComponent("deploy/template.yaml").path])
        #expect(result.exitCode == 0, "\(result)")
    }

    @Test func theRotationFunctionsPolicyIsEnoughAndEveryActionIsNeeded() async throws {
        let kit = try await RotationTestKit.make()
        let full = try await Self.user(kit.moto, function: "RotationFunction")
        #expect(full.actions.count == 7)
        try #require(try await Self.rotate(kit, as: full) == nil, "a rotation with exactly the template's policy succeeds")

        try await withThrowingTaskGroup(of: (String, RuntimeAPIErrorReport?).self) { group in
            for action in full.actions {
                group.addTask {
                    let narrower = try await Self.user(kit.moto, function: "RotationFunction", drop: action)
                    return (action, try await Self.rotate(kit, as: narrower))
                }
            }
            for try await (action, report) in group {
                #expect(report?.errorType == "AWS.AccessDenied" || report?.errorType == "KeyRotator.DistributionNotReady",
                        "without \(action) the rotation is denied: \(report.map { "\($0)" } ?? "it succeeded")")
            }
        }
    }

    @Test func theAuthorizersPolicyIsEnoughAndEveryActionIsNeeded() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup, everyOptionalBlock: false)
        let full = try await Self.user(kit.moto, function: "AuthorizerFunction")
        #expect(full.actions == ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"])
        #expect(try await Self.authorize(kit, scenario, as: full) == true)
        for action in full.actions {
            let narrower = try await Self.user(kit.moto, function: "AuthorizerFunction", drop: action)
            #expect(try await Self.authorize(kit, scenario, as: narrower) == false, "without \(action) the key ring cannot load: deny")
        }
    }

    /// Whether the authorizer, signed as `user`, lets a request with the current value in.
    static func authorize(_ kit: RotationTestKit, _ scenario: OriginSecretScenario, as user: TemplateUser) async throws -> Bool? {
        var environment = kit.moto.environment()
        environment["AWS_ACCESS_KEY_ID"] = user.accessKeyId
        environment["AWS_SECRET_ACCESS_KEY"] = user.secretAccessKey
        environment["SECRET_NAME"] = scenario.secretName
        // A slow emulator must not pass for a denied permission: give loads ample time.
        environment["REFRESH_TIMEOUT_SECONDS"] = "30"
        let lambda = try await RuntimeAPIEmulator.start(handler: "origin-authorizer", environment: environment)
        defer { Task { await lambda.stop() } }
        let event = #"{"version":"2.0","type":"REQUEST","routeArn":"arn:aws:execute-api:us-east-1:123456789012:api/prod/GET/x","headers":{"x-origin-verify":"\#(scenario.initialValue)"}}"#
        let text = try #require(try await lambda.invoke(json: event).responseText)
        return (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["isAuthorized"] as? Bool
    }

    /// A whole rotation of a fresh scenario, signed as `user`; the first error, if any.
    static func rotate(_ kit: RotationTestKit, as user: TemplateUser) async throws -> RuntimeAPIErrorReport? {
        let scenario = try await OriginSecretScenario.make(kit.setup, everyOptionalBlock: false)
        let token = try await scenario.startRotation(kit.setup)
        let function = try await RotationFunction.start(scenario, moto: kit.moto,
                                                        extra: ["AWS_ACCESS_KEY_ID": user.accessKeyId, "AWS_SECRET_ACCESS_KEY": user.secretAccessKey])
        defer { Task { await function.stop() } }
        return try await function.run(token: token)
    }
}
