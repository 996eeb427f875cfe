import AWSServices
import Foundation
import KeyRotation
import LocalEmulator
import Testing
import TestSupport

/// deploy/template.yaml: it lints, and the IAM policies it gives the functions are exactly enough:
/// a rotation run with the rotation function's policy succeeds, and fails without any one action.
@Suite struct DeployTemplateTests {
    typealias TemplateUser = TemplatePolicyUser

    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> BuiltProduct.Result {
        try await BuiltProduct.Running(executable: executable, arguments: arguments, environment: environment).wait(timeout: .seconds(120))
    }

    /// An emulator user whose policy is `function`'s policy in the template, less `drop`.
    static func user(_ moto: MotoServer, function: String, drop: String? = nil) async throws -> TemplateUser {
        try await TemplatePolicyUser.create(moto, function: function, drop: drop)
    }

    @Test func theTemplatePassesCfnLint() async throws {
        let moto = try await MotoServer.shared()
        let root = moto.repositoryRoot
        let result = try await Self.run(root.appendingPathComponent(".venv/bin/cfn-lint").path, [root.appendingPathComponent("deploy/template.yaml").path])
        #expect(result.exitCode == 0, "\(result)")
    }

    /// The template as SAM transforms it (scripts/sam_translate.py), for a set of parameters.
    static func transformed(_ parameters: [String]) async throws -> [String: Any] {
        let moto = try await MotoServer.shared()
        let root = moto.repositoryRoot
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = "/usr/bin:/bin"
        let result = try await Self.run(moto.python.path, [root.appendingPathComponent("scripts/sam_translate.py").path,
                                                           root.appendingPathComponent("deploy/template.yaml").path] + parameters, environment: environment)
        try #require(result.exitCode == 0, "aws-sam-translator: \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test(arguments: [
        [],
        ["DeployApiKeyFlow=true"],
        ["DeployOriginFlow=false", "DeployApiKeyFlow=true", "ExistingTableName=seed-table", "EventBusName=keys", "AlarmTopicArn=arn:aws:sns:us-east-1:123456789012:pager"],
        ["RotationScheduleExpression=rate(10 days)", "RotationWindow=3h", "VerifierCacheTtlSeconds=120"],
    ])
    func theTemplateTransformsAndEachFlowIsItsOwn(parameters: [String]) async throws {
        let template = try await Self.transformed(parameters)
        let resources = try #require(template["Resources"] as? [String: [String: Any]])
        let apiKeyFlow: Set<String> = ["KeyTable", "RotationDeadLetterQueue", "RotationQueue", "SweepFunction", "KeyRotateFunction", "KeyRotateQueueMapping",
                                       "SweepFunctionRole", "KeyRotateFunctionRole", "DeadLetterQueueAlarm", "KeyWorkFailedAlarm"]
        let originFlow: Set<String> = ["OriginSecret", "RotationFunction", "AuthorizerFunction", "RotationFunctionRole", "AuthorizerFunctionRole",
                                       "OriginSecretRotation", "RotationStepFailedAlarm"]
        for name in apiKeyFlow.union(originFlow) { #expect(resources[name] != nil, "\(name) is in the transformed template") }
        for name in apiKeyFlow { #expect(["ApiKeyFlow", "CreateKeyTable"].contains(resources[name]?["Condition"] as? String), "\(name) belongs to the API-key flow") }
        for name in originFlow { #expect(resources[name]?["Condition"] as? String == "OriginFlow", "\(name) belongs to the origin flow") }

        // No role grants an action on every resource.
        for (name, resource) in resources where resource["Type"] as? String == "AWS::IAM::Role" {
            let properties = resource["Properties"] as? [String: Any] ?? [:]
            for policy in properties["Policies"] as? [[String: Any]] ?? [] {
                let statements = (policy["PolicyDocument"] as? [String: Any])?["Statement"] as? [Any] ?? []
                for case let statement as [String: Any] in statements {
                    let resources = statement["Resource"].map { $0 as? [Any] ?? [$0] } ?? []
                    #expect(!resources.contains { $0 as? String == "*" }, "\(name) \(statement["Sid"] ?? ""): no Resource \"*\"")
                }
            }
        }
        let mapping = resources["KeyRotateQueueMapping"]?["Properties"] as? [String: Any]
        #expect(mapping?["FunctionResponseTypes"] as? [String] == ["ReportBatchItemFailures"])
        #expect(((mapping?["ScalingConfig"] as? [String: Any])?["MaximumConcurrency"] as? [String: String]) == ["Ref": "MaxConcurrency"])
        let redrive = (resources["RotationQueue"]?["Properties"] as? [String: Any])?["RedrivePolicy"] as? [String: Any]
        #expect(((redrive?["deadLetterTargetArn"] as? [String: Any])?["Fn::GetAtt"] as? [String]) == ["RotationDeadLetterQueue", "Arn"])
        // One parameter sets both the rotation function's wait and the authorizer's cache TTL.
        let rotationVariables = ((resources["RotationFunction"]?["Properties"] as? [String: Any])?["Environment"] as? [String: Any])?["Variables"] as? [String: Any]
        let authorizerVariables = ((resources["AuthorizerFunction"]?["Properties"] as? [String: Any])?["Environment"] as? [String: Any])?["Variables"] as? [String: Any]
        #expect(rotationVariables?["VERIFIER_CACHE_TTL_SECONDS"] as? [String: String] == ["Ref": "VerifierCacheTtlSeconds"])
        #expect(authorizerVariables?["CACHE_TTL_SECONDS"] as? [String: String] == ["Ref": "VerifierCacheTtlSeconds"])
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
