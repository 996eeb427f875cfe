import AWSServices
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import Testing
import TestSupport

/// The API-key functions' policies in deploy/template.yaml are exactly enough: a key's whole life
/// (an interrupted sweep that saves its checkpoint, the sweep that resumes and deletes it, rotate
/// with the quota carried over, grace, retire, with an event bus) runs with each function signed
/// as a user holding only its template policy, and fails with an access-denied error naming the
/// removed action when any one action is removed. moto checks actions, not resources (the resource
/// patterns are checked by TemplateResourceScopingTests), and names API Gateway actions by
/// operation: the script maps the template's verbs on paths to them.
@Suite(.serialized, .timeLimit(.minutes(10))) struct APIKeyTemplatePolicyTests {
    /// The rotate function's role holds these for Lambda's SQS poller, which receives and deletes
    /// messages on the role's behalf before and after invoking the function; our code never calls
    /// them, so no run of the function against moto can show them needed (the tests play the
    /// poller, as the harness user). Instead they are checked to be exactly what AWS documents for
    /// an SQS event source mapping: the SQS actions of the AWSLambdaSQSQueueExecutionRole managed
    /// policy (Lambda developer guide, "Amazon SQS event source mapping: execution role permissions").
    static let pollerActions: Set<String> = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]

    /// Whether `text` names `name` (an IAM action or an operation), not merely a longer name that
    /// starts with it (GetDistribution in GetDistributionConfig).
    static func names(_ text: String, _ name: String) -> Bool {
        var rest = text[...]
        while let range = rest.range(of: name) {
            let next = rest[range.upperBound...].first
            if next.map({ !$0.isLetter && !$0.isNumber }) ?? true { return true }
            rest = rest[range.upperBound...]
        }
        return false
    }

    /// What a denial of `action` may be named after: the action itself, or what it granted in the
    /// emulator (API Gateway's operations, SQS's batch forms) and the user without it lacks.
    static func deniedNames(full: TemplatePolicyUser, narrower: TemplatePolicyUser, action: String) -> [String] {
        [action] + Set(full.operations).subtracting(narrower.operations).sorted()
    }

    /// GetUsage and UpdateUsage, which moto 5.2.1 lacks, answered by the stand-in of
    /// APIKeyFaultTests behind an IAM check of its own: a call signed by an access key whose
    /// policy (as scripts/iam_user_from_template.py made it for the emulator) lacks the operation
    /// is denied the way moto denies (AccessDenied, "is not authorized to perform: <action>").
    /// The check applies the same policy document moto holds for that user; what it proves is that
    /// the rotation calls the operation and fails without it.
    final class UsageGate: Sendable {
        let usage: UsageStandIn
        let grants: Mutex<[String: Set<String>]> = Mutex([:])
        init(usage: UsageStandIn) { self.usage = usage }
        func grant(_ user: TemplatePolicyUser) { grants.withLock { $0[user.accessKeyId] = Set(user.operations) } }

        func answer(_ request: FaultProxy.Request) -> FaultProxy.Action {
            let operation = request.method == .PATCH ? "apigateway:UpdateUsage" : "apigateway:GetUsage"
            let authorization = request.headers.first(name: "Authorization") ?? ""
            let keyID = authorization.components(separatedBy: "Credential=").dropFirst().first?.split(separator: "/").first.map(String.init) ?? ""
            if let granted = grants.withLock({ $0[keyID] }), !granted.contains(operation) {
                return .awsError(.forbidden, code: "AccessDeniedException",
                                 message: "User: arn:aws:iam::123456789012:user/\(keyID) is not authorized to perform: \(operation)", .restJSON)
            }
            return usage.answer(request)
        }
    }

    /// Runs a key's life; returns nil when it completes, else what failed (the function's error).
    static func lifecycle(_ moto: MotoServer, sweep: TemplatePolicyUser, rotate: TemplatePolicyUser) async throws -> String? {
        // A table made for APIGateway-API-Key-Auto-Rotation, without the indexes: the sweep scans it.
        let seedTable = try await APIKeyScenario.make(moto: moto, indexed: false)
        let scanned = try await APIKeyFunctions.withFunctions(seedTable, environment: sweep.signing(seedTable.environment())) { functions in
            (try? await functions.runSweep())?["queued"] as? Int == 1 ? nil : "sweep of a table without indexes: " + (functions.sweep.standardOutputLines.first { $0.contains("AccessDenied") } ?? "failed")
        }
        if let scanned { return scanned }

        // Plans with a quota: the rotation carries what the old key has left (GetUsage, UpdateUsage).
        let scenario = try await APIKeyScenario.make(moto: moto, plans: 2, quota: UsagePlan.Quota(limit: 1000, period: "MONTH"))
        let (itemID, old) = scenario.items[0]
        let usage = UsageStandIn(remaining: Dictionary(uniqueKeysWithValues: scenario.planIDs.map { ("\($0)/\(old)", 37) }))
        let gate = UsageGate(usage: usage)
        gate.grant(sweep)
        gate.grant(rotate)
        let bus = "keys-\(UUID().uuidString.prefix(8))"
        return try await FaultProxy.with(upstream: moto) { proxy in
            proxy.addRule(.init("usage", when: FaultProxy.Match { $0.path.hasSuffix("/usage") }, action: .run { request in gate.answer(request) }))
            _ = try await EventBridgeClient(client: scenario.client).createEventBus(name: bus)
            let environment = scenario.environment(endpoint: proxy.endpoint, extra: ["EVENT_BUS_NAME": bus])
            return try await APIKeyFunctions.withFunctions(scenario, environment: sweep.signing(environment), rotateEnvironment: rotate.signing(environment)) { functions -> String? in
                func failure() -> String {
                    let lines = functions.sweep.standardOutputLines + functions.rotate.standardOutputLines
                    return lines.first { $0.contains("AccessDenied") || $0.contains("not authorized") } ?? lines.suffix(3).joined(separator: " | ")
                }
                // A sweep out of time at once stops before its first page and saves where (PutItem);
                // the next one resumes there, finishes, and deletes the checkpoint (DeleteItem).
                let interrupted = try await functions.sweep.invoke(RuntimeAPIInvocation(event: Array("{}".utf8), timeout: .milliseconds(1)), timeout: .seconds(300))
                guard let text = interrupted.responseText, text.contains(#""complete":false"#) else { return "interrupted sweep: " + failure() }
                guard let resumed = try? await functions.runSweep(), resumed["resumed"] as? Bool == true, resumed["queued"] as? Int == 1 else { return "resumed sweep: " + failure() }
                guard try await functions.deliverQueue().isEmpty else { return "rotate: " + failure() }
                try await scenario.age(itemID, graceEndedHoursAgo: 1)
                guard let again = try? await functions.runSweep(), again["resumed"] as? Bool == false, again["retiring"] as? Int == 1 else { return "sweep: " + failure() }
                guard try await functions.deliverQueue().isEmpty else { return "retire: " + failure() }
                guard try await !scenario.keyExists(old), try await scenario.orphanKeys().isEmpty else { return "the old key was not retired" }
                let new = try await scenario.item(itemID)?["APIGWKeyID"]?.stringValue ?? ""
                guard scenario.planIDs.allSatisfy({ usage.remaining["\($0)/\(new)"] == 37 }) else { return "the quota left was not carried over" }
                return nil
            }
        }
    }

    @Test func theTemplatesPoliciesAreEnoughAndEveryActionIsNeeded() async throws {
        let moto = try await MotoServer.shared()
        let sweep = try await TemplatePolicyUser.create(moto, function: "SweepFunction")
        let rotate = try await TemplatePolicyUser.create(moto, function: "KeyRotateFunction")
        #expect(sweep.actions == ["apigateway:GET", "dynamodb:DeleteItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem",
                                  "dynamodb:Query", "dynamodb:Scan", "sqs:SendMessage"])
        #expect(rotate.actions == ["apigateway:DELETE", "apigateway:GET", "apigateway:PATCH", "apigateway:POST", "dynamodb:GetItem",
                                   "dynamodb:UpdateItem", "events:PutEvents", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"])
        let failure = try await Self.lifecycle(moto, sweep: sweep, rotate: rotate)
        try #require(failure == nil, "a key's life with exactly the template's policies: \(failure ?? "")")

        // One at a time: each run starts two functions and a proxy on a machine shared by builders.
        var runs = 0
        for (function, full) in [("SweepFunction", sweep), ("KeyRotateFunction", rotate)] {
            for action in full.actions where !(function == "KeyRotateFunction" && Self.pollerActions.contains(action)) {
                let narrower = try await TemplatePolicyUser.create(moto, function: function, drop: action)
                let failure: String?
                if function == "SweepFunction" {
                    failure = try await Self.lifecycle(moto, sweep: narrower, rotate: rotate)
                } else {
                    failure = try await Self.lifecycle(moto, sweep: sweep, rotate: narrower)
                }
                let names = Self.deniedNames(full: full, narrower: narrower, action: action)
                runs += 1
                #expect(failure.map { text in (text.contains("AccessDenied") || text.contains("not authorized")) && names.contains { Self.names(text, $0) } } == true,
                        "\(function) without \(action): denied, naming one of \(names) (\(failure ?? "it succeeded"))")
            }
        }
        #expect(runs == sweep.actions.count + rotate.actions.count - Self.pollerActions.count, "every action but the poller's is shown needed")
    }

    @Test func thePollerActionsAreExactlyWhatAWSDocumentsForAnSQSEventSource() async throws {
        let moto = try await MotoServer.shared()
        let rotate = try await TemplatePolicyUser.create(moto, function: "KeyRotateFunction")
        #expect(Set(rotate.actions.filter { $0.hasPrefix("sqs:") }) == Self.pollerActions, "the rotate function calls no SQS action itself")
        let sweep = try await TemplatePolicyUser.create(moto, function: "SweepFunction")
        #expect(sweep.actions.filter { $0.hasPrefix("sqs:") } == ["sqs:SendMessage"], "the sweep only sends")
    }

    @Test func aDenialNamesTheActionNotALongerOne() {
        #expect(Self.names("not authorized to perform: dynamodb:PutItem on", "dynamodb:PutItem"))
        #expect(!Self.names("cloudfront GetDistributionConfig failed", "GetDistribution"))
        #expect(Self.names("cloudfront GetDistribution failed", "GetDistribution"))
        #expect(Self.names("perform: sqs:SendMessageBatch", "sqs:SendMessageBatch"))
    }
}
