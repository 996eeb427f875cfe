import AWSServices
import Foundation
import KeyRotation
import LocalEmulator
import Testing
import TestSupport

/// A CloudWatch alarm of the template that reads a metric of ours through a metrics-insights
/// query: `SELECT SUM(<metric>) FROM SCHEMA("${MetricsNamespace}", <dimension>, ...)`.
struct AlarmQuery: Equatable {
    var metric: String
    var namespace: String
    var dimensions: Set<String>

    init?(alarm: [String: Any]?) {
        let properties = alarm?["Properties"] as? [String: Any]
        let metrics = properties?["Metrics"] as? [[String: Any]] ?? []
        guard let expression = metrics.compactMap({ ($0["Expression"] as? [String: Any])?["Fn::Sub"] as? String }).first,
              let sum = expression.range(of: "SUM("), let close = expression[sum.upperBound...].firstIndex(of: ")"),
              let schema = expression.range(of: "SCHEMA("), let end = expression[schema.upperBound...].firstIndex(of: ")") else { return nil }
        metric = String(expression[sum.upperBound..<close])
        let parts = expression[schema.upperBound..<end].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        namespace = parts.first?.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) ?? ""
        dimensions = Set(parts.dropFirst())
    }
}

/// deploy/template.yaml: it lints, and the IAM policies it gives the functions are exactly enough:
/// a rotation run with the rotation function's policy succeeds, and fails without any one action,
/// with an access-denied error that names it.
@Suite(.timeLimit(.minutes(10))) struct DeployTemplateTests {
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
        ["DeployApiKeyFlow=true", "ExistingSecretName=prod/origin-verify", "DistributionIds=E1,E2", "StoreKeyValue=true"],
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
        for name in originFlow { #expect(["OriginFlow", "CreateOriginSecret"].contains(resources[name]?["Condition"] as? String), "\(name) belongs to the origin flow") }
        #expect(resources["OriginSecret"]?["Condition"] as? String == "CreateOriginSecret", "no new secret with ExistingSecretName")
        // The schedule's immediate first rotation logs into the group that has the retention.
        #expect((resources["OriginSecretRotation"]?["DependsOn"] as? [String])?.contains("RotationFunctionLogs") == true)
        // The origin flow refuses to deploy without a distribution.
        let rule = (template["Rules"] as? [String: Any])?["OriginFlowNeedsDistributions"] as? [String: Any]
        #expect("\(rule?["RuleCondition"] ?? "none")".contains("DeployOriginFlow"), "the rule applies to the origin flow")
        let assertions = rule?["Assertions"] as? [[String: Any]] ?? []
        #expect("\(assertions)".contains("DistributionIds"), "the rule asserts on DistributionIds: \(assertions)")
        let rotateVariables = ((resources["KeyRotateFunction"]?["Properties"] as? [String: Any])?["Environment"] as? [String: Any])?["Variables"] as? [String: Any]
        #expect(rotateVariables?["STORE_KEY_VALUE"] as? [String: String] == ["Ref": "StoreKeyValue"])

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

    /// CloudFormation's Rules, evaluated for the parameters (scripts/sam_translate.py --rules): an
    /// origin-flow stack without distributions is refused before anything is created.
    @Test(arguments: [
        ([], false), (["DistributionIds=E1ORIGIN,E2ORIGIN"], true), (["DistributionIds=E1ORIGIN,,E2ORIGIN"], false),
        (["DeployOriginFlow=false", "DeployApiKeyFlow=true"], true),
    ] as [([String], Bool)])
    func theOriginFlowIsRefusedWithoutDistributions(parameters: [String], deploys: Bool) async throws {
        let moto = try await MotoServer.shared()
        let root = moto.repositoryRoot
        let result = try await Self.run(moto.python.path, [root.appendingPathComponent("scripts/sam_translate.py").path,
                                                           root.appendingPathComponent("deploy/template.yaml").path] + parameters + ["--rules"],
                                        environment: ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()])
        try #require(result.exitCode == 0, "\(result)")
        let rules = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: [String: Any]])
        let failed = rules.values.flatMap { $0["failed"] as? [String] ?? [] }
        #expect(failed.isEmpty == deploys, "\(parameters): \(failed)")
        if !deploys { #expect(failed.allSatisfy { $0.contains("DistributionIds") }, "the refusal names the parameter") }
    }

    /// The origin alarm on failed steps reads the metric name and the dimension set the code
    /// writes (a failed step's EMF document, as the `cloudfront-rotation` function writes it), in
    /// the namespace the functions are given.
    @Test func theOriginAlarmWatchesTheMetricTheCodeEmits() async throws {
        let template = try await Self.transformed([])
        let resources = try #require(template["Resources"] as? [String: [String: Any]])
        let query = try #require(AlarmQuery(alarm: resources["RotationStepFailedAlarm"]))

        let capture = EMFCapture(defaultDimensions: [("Function", "cloudfront-rotation")])
        let harness = RotationStepTests.Harness(metrics: RotationMetrics(factory: capture.factory))
        #expect(await harness.failure(.createSecret, token: "no-such-version") == .unknownVersion)
        let documents = try capture.flushDocuments().filter { $0.values[RotationMetrics.Name.stepFailed] != nil }
        try #require(!documents.isEmpty, "a failed step writes \(RotationMetrics.Name.stepFailed)")
        #expect(query.metric == RotationMetrics.Name.stepFailed)
        for document in documents {
            #expect(document.dimensionSets.map { Set($0) } == [query.dimensions], "the alarm's SCHEMA has the document's dimensions: \(document.dimensionSets)")
        }
        #expect(query.namespace == "${MetricsNamespace}")
        // SAM folds Globals into each function: read the function's environment.
        let variables = ((resources["RotationFunction"]?["Properties"] as? [String: Any])?["Environment"] as? [String: Any])?["Variables"] as? [String: Any]
        #expect(variables?["METRICS_NAMESPACE"] as? [String: String] == ["Ref": "MetricsNamespace"], "the functions write where the alarm reads")
        // The Lambda errors alarm: AWS/Lambda's Errors of this function.
        let errors = resources["RotationFunctionErrorsAlarm"]?["Properties"] as? [String: Any]
        #expect(errors?["Namespace"] as? String == "AWS/Lambda" && errors?["MetricName"] as? String == "Errors")
        #expect((errors?["Dimensions"] as? [[String: Any]])?.first?["Name"] as? String == "FunctionName")
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
                #expect(Self.names(report?.errorMessage ?? "", action), "the denial names \(action): \(report?.errorMessage ?? "no message")")
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
            var log: [String] = []
            let allowed = try await Self.authorize(kit, scenario, as: narrower, log: &log)
            #expect(allowed == false, "without \(action) the key ring cannot load: deny")
            let denial = log.first { $0.contains("AccessDenied") || $0.contains("not authorized") }
            #expect(denial.map { Self.names($0, action) } == true, "the authorizer logs a denial naming \(action): \(denial ?? log.suffix(3).joined(separator: " | "))")
        }
    }

    /// Whether `text` names `action` (moto: "not authorized to perform: secretsmanager:GetSecretValue"),
    /// or its operation as our errors do ("cloudfront GetDistribution failed"), and not merely a
    /// longer name that starts with it (GetDistribution in GetDistributionConfig).
    static func names(_ text: String, _ action: String) -> Bool {
        let operation = String(action.split(separator: ":").last ?? "")
        for name in [action, operation] where !name.isEmpty {
            var rest = text[...]
            while let range = rest.range(of: name) {
                if rest[range.upperBound...].first.map({ !$0.isLetter && !$0.isNumber }) ?? true { return true }
                rest = rest[range.upperBound...]
            }
        }
        return false
    }

    /// Whether the authorizer, signed as `user`, lets a request with the current value in.
    static func authorize(_ kit: RotationTestKit, _ scenario: OriginSecretScenario, as user: TemplateUser) async throws -> Bool? {
        var log: [String] = []
        return try await authorize(kit, scenario, as: user, log: &log)
    }

    /// The same, with the function's log lines in `log`.
    static func authorize(_ kit: RotationTestKit, _ scenario: OriginSecretScenario, as user: TemplateUser, log: inout [String]) async throws -> Bool? {
        var environment = kit.moto.environment()
        environment["AWS_ACCESS_KEY_ID"] = user.accessKeyId
        environment["AWS_SECRET_ACCESS_KEY"] = user.secretAccessKey
        environment["SECRET_NAME"] = scenario.secretName
        // A slow emulator must not pass for a denied permission: give loads ample time.
        environment["REFRESH_TIMEOUT_SECONDS"] = "30"
        let event = #"{"version":"2.0","type":"REQUEST","routeArn":"arn:aws:execute-api:us-east-1:123456789012:api/prod/GET/x","headers":{"x-origin-verify":"\#(scenario.initialValue)"}}"#
        let outcome: RuntimeAPIOutcome
        (outcome, log) = try await RuntimeAPIEmulator.with(handler: "origin-authorizer", environment: environment) { lambda in
            (try await lambda.invoke(json: event), lambda.standardOutputLines)
        }
        let text = try #require(outcome.responseText)
        return (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["isAuthorized"] as? Bool
    }

    /// A whole rotation of a fresh scenario, signed as `user`; the first error, if any.
    static func rotate(_ kit: RotationTestKit, as user: TemplateUser) async throws -> RuntimeAPIErrorReport? {
        let scenario = try await OriginSecretScenario.make(kit.setup, everyOptionalBlock: false)
        let token = try await scenario.startRotation(kit.setup)
        return try await RotationFunction.with(scenario, moto: kit.moto,
                                               extra: ["AWS_ACCESS_KEY_ID": user.accessKeyId, "AWS_SECRET_ACCESS_KEY": user.secretAccessKey]) { function in
            try await function.run(token: token)
        }
    }
}
