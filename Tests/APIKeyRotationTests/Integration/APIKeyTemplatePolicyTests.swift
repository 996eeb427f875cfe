import AWSServices
import Foundation
import Testing
import TestSupport

/// The API-key functions' policies in deploy/template.yaml are exactly enough: a key's whole life
/// (sweep, rotate, grace, retire, with an event bus) runs with each function signed as a user
/// holding only its template policy, and fails with an access-denied error naming the operation
/// when any one action is removed. moto checks actions, not resources (the resource patterns are
/// checked by DeployTemplateTests), and names API Gateway actions by operation: the script maps the
/// template's verbs on paths to them.
@Suite(.timeLimit(.minutes(5))) struct APIKeyTemplatePolicyTests {
    /// Actions the rotate function's role holds for Lambda's SQS poller, which receives, deletes
    /// and extends messages on the role's behalf: the tests play the poller as the harness user.
    static let pollerActions: Set<String> = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"]
    /// Actions this run cannot show to be needed, each for a reason: the sweep's checkpoint
    /// (PutItem when it stops before its deadline, DeleteItem when a resumed sweep finishes; tested
    /// in memory by APIKeySweeperTests) and the quota carry-over's UpdateUsage (PATCH), which moto
    /// lacks: its stand-in answers without IAM.
    static let unexercised: Set<String> = ["sweep dynamodb:PutItem", "sweep dynamodb:DeleteItem", "rotate apigateway:PATCH"]

    /// Runs a key's life; returns nil when it completes, else what failed (the function's error).
    static func lifecycle(_ moto: MotoServer, sweep: TemplatePolicyUser, rotate: TemplatePolicyUser) async throws -> String? {
        // A table made for APIGateway-API-Key-Auto-Rotation, without the indexes: the sweep scans it.
        let seedTable = try await APIKeyScenario.make(moto: moto, indexed: false)
        let scanned = try await APIKeyFunctions.withFunctions(seedTable, environment: sweep.signing(seedTable.environment())) { functions in
            (try? await functions.runSweep())?["queued"] as? Int == 1 ? nil : "sweep of a table without indexes: " + (functions.sweep.standardOutputLines.first { $0.contains("AccessDenied") } ?? "failed")
        }
        if let scanned { return scanned }
        let scenario = try await APIKeyScenario.make(moto: moto, plans: 2)
        let bus = "keys-\(UUID().uuidString.prefix(8))"
        _ = try await EventBridgeClient(client: scenario.client).createEventBus(name: bus)
        let environment = scenario.environment(extra: ["EVENT_BUS_NAME": bus])
        return try await APIKeyFunctions.withFunctions(scenario, environment: sweep.signing(environment), rotateEnvironment: rotate.signing(environment)) { functions in
            func failure() -> String {
                let lines = functions.sweep.standardOutputLines + functions.rotate.standardOutputLines
                return lines.first { $0.contains("AccessDenied") || $0.contains("not authorized") } ?? lines.suffix(3).joined(separator: " | ")
            }
            let (itemID, old) = scenario.items[0]
            guard (try? await functions.runSweep())?["queued"] as? Int == 1 else { return "sweep: " + failure() }
            guard try await functions.deliverQueue().isEmpty else { return "rotate: " + failure() }
            try await scenario.age(itemID, graceEndedHoursAgo: 1)
            guard (try? await functions.runSweep())?["retiring"] as? Int == 1 else { return "sweep: " + failure() }
            guard try await functions.deliverQueue().isEmpty else { return "retire: " + failure() }
            guard try await !scenario.keyExists(old), try await scenario.orphanKeys().isEmpty else { return "the old key was not retired" }
            return nil
        }
    }

    @Test func theTemplatesPoliciesAreEnoughAndEveryActionIsNeeded() async throws {
        let moto = try await MotoServer.shared()
        let sweep = try await TemplatePolicyUser.create(moto, function: "SweepFunction")
        let rotate = try await TemplatePolicyUser.create(moto, function: "KeyRotateFunction")
        #expect(sweep.actions == ["apigateway:GET", "dynamodb:DeleteItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem",
                                  "dynamodb:Query", "dynamodb:Scan", "sqs:SendMessage"])
        let failure = try await Self.lifecycle(moto, sweep: sweep, rotate: rotate)
        try #require(failure == nil, "a key's life with exactly the template's policies: \(failure ?? "")")

        try await withThrowingTaskGroup(of: (String, String?).self) { group in
            for action in sweep.actions where !Self.unexercised.contains("sweep \(action)") {
                group.addTask {
                    let narrower = try await TemplatePolicyUser.create(moto, function: "SweepFunction", drop: action)
                    return ("sweep without \(action)", try await Self.lifecycle(moto, sweep: narrower, rotate: rotate))
                }
            }
            for action in rotate.actions where !Self.pollerActions.contains(action) && !Self.unexercised.contains("rotate \(action)") {
                group.addTask {
                    let narrower = try await TemplatePolicyUser.create(moto, function: "KeyRotateFunction", drop: action)
                    return ("rotate without \(action)", try await Self.lifecycle(moto, sweep: sweep, rotate: narrower))
                }
            }
            var runs = 0
            for try await (what, failure) in group {
                runs += 1
                #expect(failure?.contains("AccessDenied") == true || failure?.contains("not authorized") == true,
                        "\(what): the flow is denied (\(failure ?? "it succeeded"))")
            }
            #expect(runs == sweep.actions.count + rotate.actions.count - Self.pollerActions.count - Self.unexercised.count)
        }
    }
}
