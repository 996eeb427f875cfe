import APIKeyRotation
import Foundation
import LocalEmulator
import Testing
import TestSupport

/// The resources of every function's policy in deploy/template.yaml, as CloudFormation resolves
/// them (scripts/sam_translate.py --policies): each pattern matches the ARNs the flows touch in the
/// tests and no more. moto checks actions only, so this is where resource scoping is proven. Both
/// flows are here (this target links APIKeyRotation, whose checkpoint id and index names the
/// sweep's statements must name). Also: the API Gateway verb -> operation table of
/// scripts/iam_user_from_template.py, on its own.
@Suite(.timeLimit(.minutes(10))) struct TemplateResourceScopingTests {
    static let root: URL = { (try? MotoEmulator.repositoryRoot(from: #filePath)) ?? URL(fileURLWithPath: ".") }()

    static func python(_ arguments: [String]) async throws -> String {
        let result = try await BuiltProduct.Running(executable: root.appendingPathComponent(".venv/bin/python").path, arguments: arguments,
                                                    environment: ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()]).wait(timeout: .seconds(120))
        try #require(result.exitCode == 0, "\(arguments.first ?? ""): \(result.stderr)")
        return result.stdout
    }

    // MARK: What the flows touch (account 123456789012, us-east-1, as sam_translate.py resolves)

    static let region = "us-east-1", account = "123456789012"
    static let secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:keyrotator-origin-AbCdEf"
    static let distributions = ["E1ORIGINTEST", "E2ORIGINTEST"].map { "arn:aws:cloudfront::123456789012:distribution/\($0)" }
    static let table = "keys-scoping"
    static var tableARN: String { "arn:aws:dynamodb:\(region):\(account):table/\(table)" }
    static let queue = "arn:aws:sqs:us-east-1:123456789012:keyrotator-RotationQueue-1"
    static let bus = "keys"
    static let plan = "p1abc", key = "k1abc"
    static let checkpoint = KeyItem.sweepCheckpointItemID

    /// One request: an action on a resource (with, for a DynamoDB item, its partition key).
    struct Access: Hashable, CustomStringConvertible {
        var action: String
        var arn: String
        var leadingKey: String? = nil
        var description: String { "\(action) on \(arn)" + (leadingKey.map { " (item \($0))" } ?? "") }
    }

    /// The API Gateway operations each function calls (Sources/APIKeyRotation/Adapters/APIGatewayKeyStore.swift).
    static let sweepOperations = ["GetApiKeys", "GetUsagePlans", "GetUsagePlanKeys"]
    static let rotateOperations = ["GetApiKeys", "GetApiKey", "CreateApiKey", "GetUsagePlans", "CreateUsagePlanKey", "DeleteUsagePlanKey",
                                   "DeleteApiKey", "GetUsage", "UpdateUsage"]

    static func apiGateway(_ operations: [String], table rows: [MappingRow]) throws -> [Access] {
        try operations.map { name in
            let row = try #require(rows.first { $0.operation == name }, "\(name) is in APIGATEWAY_OPERATIONS")
            let path = row.path.replacingOccurrences(of: "{id}", with: row.path.hasPrefix("/usageplans") ? plan : key)
                .replacingOccurrences(of: "{keyId}", with: key)
            return Access(action: "apigateway:\(row.verb)", arn: "arn:aws:apigateway:\(region)::\(path)")
        }
    }

    /// Function -> what its flow touches in the tests.
    static func touched(_ rows: [MappingRow], secret: String) throws -> [String: Set<Access>] {
        let rotationDue = "\(tableARN)/index/\(APIKeyRotationConfiguration.defaultRotationIndexName)"
        let retirementDue = "\(tableARN)/index/\(APIKeyRotationConfiguration.defaultRetirementIndexName)"
        let secretActions = ["DescribeSecret", "GetSecretValue", "PutSecretValue", "UpdateSecretVersionStage"].map { Access(action: "secretsmanager:\($0)", arn: secret) }
        var cloudFront: [Access] = []
        for action in ["GetDistribution", "GetDistributionConfig", "UpdateDistribution"] {
            cloudFront += distributions.map { Access(action: "cloudfront:\(action)", arn: $0) }
        }
        var sweep: [Access] = [Access(action: "dynamodb:DescribeTable", arn: tableARN), Access(action: "dynamodb:Scan", arn: tableARN),
                               Access(action: "dynamodb:Query", arn: rotationDue), Access(action: "dynamodb:Query", arn: retirementDue),
                               Access(action: "sqs:SendMessage", arn: queue)]
        sweep += ["GetItem", "PutItem", "DeleteItem"].map { Access(action: "dynamodb:\($0)", arn: tableARN, leadingKey: checkpoint) }
        sweep += try apiGateway(sweepOperations, table: rows)
        var rotate: [Access] = ["GetItem", "UpdateItem"].map { Access(action: "dynamodb:\($0)", arn: tableARN, leadingKey: "item-1") }
        rotate += ["ReceiveMessage", "DeleteMessage", "GetQueueAttributes"].map { Access(action: "sqs:\($0)", arn: queue) }
        rotate.append(Access(action: "events:PutEvents", arn: "arn:aws:events:us-east-1:123456789012:event-bus/\(bus)"))
        rotate += try apiGateway(rotateOperations, table: rows)
        return [
            "RotationFunction": Set(secretActions + cloudFront),
            "AuthorizerFunction": Set(secretActions.filter { ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"].contains($0.action) }),
            "SweepFunction": Set(sweep),
            "KeyRotateFunction": Set(rotate),
        ]
    }

    /// ARNs near the touched ones that no function may reach.
    static let untouched: [String] = [
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:another-secret-XyZ123",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:keyrotator-origin-AbCdEf-other",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/origin-verify-other-XyZ123",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/origin-verifyX-XyZ123",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/origin-verify",
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/origin-verify-AbCdEf",
        "arn:aws:cloudfront::999999999999:distribution/E1ORIGINTEST",
        "arn:aws:cloudfront::123456789012:function/origin-rewrite",
        "arn:aws:dynamodb:us-east-1:123456789012:table/another-table",
        "arn:aws:dynamodb:us-east-1:123456789012:table/keys-scoping-2",
        "arn:aws:dynamodb:us-east-1:123456789012:table/another-table/index/RotationDueIndex",
        "arn:aws:dynamodb:us-east-1:123456789012:table/keys-scoping/index/SomeOtherIndex",
        "arn:aws:dynamodb:us-east-1:123456789012:table/keys-scoping/stream/2026-12-01T00:00:00.000",
        "arn:aws:dynamodb:eu-west-1:123456789012:table/keys-scoping",
        "arn:aws:sqs:us-east-1:123456789012:keyrotator-RotationDeadLetterQueue-1",
        "arn:aws:sqs:us-east-1:123456789012:another-queue",
        "arn:aws:events:us-east-1:123456789012:event-bus/default",
        "arn:aws:apigateway:us-east-1::/restapis",
        "arn:aws:apigateway:us-east-1::/restapis/a1b2c3/stages/prod",
        "arn:aws:apigateway:us-east-1::/restapis/a1b2c3/authorizers",
        "arn:aws:apigateway:us-east-1::/account",
        "arn:aws:apigateway:us-east-1::/domainnames",
        "arn:aws:apigateway:us-east-1::/usageplans/p1abc",
        "arn:aws:apigateway:eu-west-1::/apikeys",
    ]

    // MARK: IAM's matching

    /// IAM's wildcards: `*` any run of characters (`/` included), `?` one character.
    static func matches(_ pattern: String, _ value: String, caseInsensitive: Bool = false) -> Bool {
        let p = Array(caseInsensitive ? pattern.lowercased() : pattern), v = Array(caseInsensitive ? value.lowercased() : value)
        var table = Array(repeating: Array(repeating: false, count: v.count + 1), count: p.count + 1)
        table[0][0] = true
        for i in stride(from: 1, through: p.count, by: 1) {
            table[i][0] = table[i - 1][0] && p[i - 1] == "*"
            for j in stride(from: 1, through: v.count, by: 1) {
                table[i][j] = p[i - 1] == "*" ? table[i - 1][j] || table[i][j - 1]
                    : (p[i - 1] == "?" || p[i - 1] == v[j - 1]) && table[i - 1][j - 1]
            }
        }
        return table[p.count][v.count]
    }

    struct Statement: Decodable {
        var Sid: String?
        var Effect: String
        var Action: [String]
        var Resource: [String]
        var Condition: [String: [String: [String]]]?
    }
    struct FunctionPolicy: Decodable {
        var statements: [Statement]
        var managedPolicyArns: [String]
    }

    /// Whether `statement` allows `access`; the only condition the template may use is a
    /// DynamoDB item's partition key (dynamodb:LeadingKeys), which is modelled.
    static func allows(_ statement: Statement, _ access: Access) -> Bool {
        guard statement.Effect == "Allow", statement.Action.contains(where: { matches($0, access.action, caseInsensitive: true) }),
              statement.Resource.contains(where: { matches($0, access.arn) }) else { return false }
        for (op, keys) in statement.Condition ?? [:] {
            for (key, values) in keys {
                #expect(op == "ForAllValues:StringEquals" && key == "dynamodb:LeadingKeys", "\(statement.Sid ?? ""): a condition the test does not model: \(op) \(key)")
                // ForAllValues holds for a request without the key: only item requests carry one.
                if let leading = access.leadingKey, !values.contains(leading) { return false }
            }
        }
        return true
    }

    static func policies(_ parameters: [String], physical: [String: String]) async throws -> [String: FunctionPolicy] {
        let output = try await python([root.appendingPathComponent("scripts/sam_translate.py").path, root.appendingPathComponent("deploy/template.yaml").path]
            + parameters + ["--policies"] + physical.flatMap { ["--physical", "\($0.key)=\($0.value)"] })
        return try JSONDecoder().decode([String: FunctionPolicy].self, from: Data(output.utf8))
    }

    struct MappingRow: Decodable, Equatable, CustomStringConvertible {
        var verb: String
        var path: String
        var operation: String
        var description: String { "\(verb) \(path) \(operation)" }
    }

    static func mappingTable() async throws -> [MappingRow] {
        try JSONDecoder().decode([MappingRow].self, from: Data(try await python([root.appendingPathComponent("scripts/iam_user_from_template.py").path, "--table"]).utf8))
    }

    static let physical = ["OriginSecret": secret, "KeyTable": table, "RotationQueue.Arn": queue]

    /// The secret amazon-cloudfront-api-key-rotator users keep (ExistingSecretName), as its ARN reads.
    static let existingSecret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/origin-verify-AbCdEf"

    @Test(arguments: [
        (["DeployApiKeyFlow=true", "EventBusName=keys", "DistributionIds=E1ORIGINTEST,E2ORIGINTEST"], TemplateResourceScopingTests.secret),
        (["DeployApiKeyFlow=true", "EventBusName=keys", "DistributionIds=E1ORIGINTEST,E2ORIGINTEST", "ExistingTableName=keys-scoping",
          "ExistingSecretName=prod/origin-verify"], TemplateResourceScopingTests.existingSecret),
    ] as [([String], String)])
    func everyResourcePatternMatchesWhatTheFlowsTouchAndNoMore(parameters: [String], secret: String) async throws {
        let rows = try await Self.mappingTable()
        let policies = try await Self.policies(parameters, physical: Self.physical)
        let touched = try Self.touched(rows, secret: secret)
        #expect(Set(policies.keys) == Set(touched.keys))
        let everything = touched.values.reduce(Set<Access>()) { $0.union($1) }
        for (function, policy) in policies {
            let needed = try #require(touched[function])
            #expect(policy.managedPolicyArns == ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"], "\(function): only SAM's log policy")
            // Every access the flow makes is allowed.
            for access in needed {
                #expect(policy.statements.contains { Self.allows($0, access) }, "\(function) may \(access)")
            }
            // Every pattern serves one of them: none is there for nothing.
            for statement in policy.statements {
                for pattern in statement.Resource {
                    #expect(needed.contains { access in statement.Action.contains { Self.matches($0, access.action, caseInsensitive: true) } && Self.matches(pattern, access.arn) },
                            "\(function) \(statement.Sid ?? ""): \(pattern) matches something the flow touches")
                }
            }
            // No more: every action of the policy on every ARN any flow touches or that lies near
            // them, and on another item than the sweep's checkpoint, is allowed only where needed.
            let actions = Set(policy.statements.flatMap(\.Action))
            for action in actions {
                // An API Gateway path counts with the verbs API Gateway serves on it: no GET on
                // UpdateUsage's path, which /usageplans/*/usage also matches, since * spans "/".
                let touchedARNs = everything.filter { !action.hasPrefix("apigateway:") || $0.action == action }.map(\.arn)
                let otherSecret = secret == Self.secret ? Self.existingSecret : Self.secret
                for arn in Set(touchedARNs + Self.untouched + [otherSecret]) {
                    let keys: [String?] = action.hasPrefix("dynamodb:") && action.hasSuffix("Item") ? ["item-1", Self.checkpoint] : [nil]
                    for leadingKey in keys {
                        let access = Access(action: action, arn: arn, leadingKey: leadingKey)
                        // The rotate function changes whichever item a message names: to it the
                        // checkpoint is one of the table's items (the sweep never queues it).
                        if function == "KeyRotateFunction", leadingKey == Self.checkpoint { continue }
                        if policy.statements.contains(where: { Self.allows($0, access) }) {
                            #expect(needed.contains(access), "\(function) may not \(access)")
                        }
                    }
                }
            }
        }
    }

    @Test func theSweepsCheckpointStatementNamesTheCodesCheckpointItem() async throws {
        let policies = try await Self.policies(["DeployApiKeyFlow=true"], physical: Self.physical)
        let checkpoint = try #require(policies["SweepFunction"]?.statements.first { $0.Action.contains("dynamodb:PutItem") })
        #expect(Set(checkpoint.Action) == ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"])
        #expect(checkpoint.Condition == ["ForAllValues:StringEquals": ["dynamodb:LeadingKeys": [KeyItem.sweepCheckpointItemID]]])
    }

    // MARK: The verb -> operation table

    /// API Gateway's REST API reference: each operation KeyRotator calls, its verb and path.
    static let documented: [MappingRow] = """
        GET /apikeys GetApiKeys; POST /apikeys CreateApiKey; GET /apikeys/{id} GetApiKey; PATCH /apikeys/{id} UpdateApiKey;
        DELETE /apikeys/{id} DeleteApiKey; GET /usageplans GetUsagePlans; GET /usageplans/{id} GetUsagePlan;
        GET /usageplans/{id}/keys GetUsagePlanKeys; POST /usageplans/{id}/keys CreateUsagePlanKey;
        DELETE /usageplans/{id}/keys/{keyId} DeleteUsagePlanKey; GET /usageplans/{id}/usage GetUsage;
        PATCH /usageplans/{id}/keys/{keyId}/usage UpdateUsage
        """.split(separator: ";").map { row in
            let fields = row.split(whereSeparator: \.isWhitespace).map(String.init)
            return MappingRow(verb: fields[0], path: fields[1], operation: fields[2])
        }

    @Test func theMappingTableIsAPIGatewaysVerbsAndPaths() async throws {
        let rows = try await Self.mappingTable()
        #expect(rows == Self.documented)
        // Every operation the functions call is in it.
        for operation in Set(Self.sweepOperations + Self.rotateOperations) {
            #expect(rows.contains { $0.operation == operation }, "\(operation)")
        }
    }

    @Test(arguments: [
        ("apigateway:GET", ["/apikeys"], ["GetApiKeys"]),
        ("apigateway:GET", ["/apikeys/*"], ["GetApiKey"]),
        ("apigateway:GET", ["/usageplans/*/keys"], ["GetUsagePlanKeys"]),
        ("apigateway:GET", ["/usageplans/*/usage"], ["GetUsage"]),
        // IAM's * spans "/": a plan's every sub-resource.
        ("apigateway:GET", ["/usageplans/*"], ["GetUsagePlan", "GetUsagePlanKeys", "GetUsage"]),
        ("apigateway:POST", ["/apikeys", "/usageplans/*/keys"], ["CreateApiKey", "CreateUsagePlanKey"]),
        ("apigateway:DELETE", ["/apikeys/*", "/usageplans/*/keys/*"], ["DeleteApiKey", "DeleteUsagePlanKey"]),
        ("apigateway:PATCH", ["/usageplans/*/keys/*/usage"], ["UpdateUsage"]),
        ("apigateway:PATCH", ["/apikeys/*"], ["UpdateApiKey"]),
        ("apigateway:GET", ["/restapis", "/restapis/*"], []),
        ("apigateway:POST", ["/usageplans"], []),
        ("apigateway:DELETE", ["/apikeys"], []),
    ] as [(String, [String], [String])])
    func aVerbOnPathsBecomesTheOperationsItAllows(action: String, paths: [String], operations: [String]) async throws {
        let resources = paths.map { "arn:${AWS::Partition}:apigateway:${AWS::Region}::\($0)" }
        let output = try await Self.python([Self.root.appendingPathComponent("scripts/iam_user_from_template.py").path, "--operations", action] + resources)
        let got = try JSONDecoder().decode([String].self, from: Data(output.utf8))
        #expect(got == operations.map { "apigateway:\($0)" }, "\(action) on \(paths)")
    }

    @Test func otherServicesKeepTheirActionsAndGainTheBatchForms() async throws {
        let script = Self.root.appendingPathComponent("scripts/iam_user_from_template.py").path
        let send = try JSONDecoder().decode([String].self, from: Data(try await Self.python([script, "--operations", "sqs:SendMessage", "arn"]).utf8))
        #expect(send == ["sqs:SendMessage", "sqs:SendMessageBatch"])
        let get = try JSONDecoder().decode([String].self, from: Data(try await Self.python([script, "--operations", "dynamodb:GetItem", "arn"]).utf8))
        #expect(get == ["dynamodb:GetItem"])
    }

    @Test func theWildcardMatcherIsIAMs() {
        #expect(Self.matches("arn:aws:x::/usageplans/*/keys", "arn:aws:x::/usageplans/p1/keys"))
        #expect(Self.matches("a*", "a/b/c"), "* spans /")
        #expect(!Self.matches("arn:aws:x::/apikeys", "arn:aws:x::/apikeys/k1"))
        #expect(Self.matches("table/t?", "table/t1"))
        #expect(!Self.matches("table/t?", "table/t12"))
        #expect(Self.matches("DynamoDB:getitem", "dynamodb:GetItem", caseInsensitive: true))
    }
}
