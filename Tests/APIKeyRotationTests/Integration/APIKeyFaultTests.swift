import APIKeyRotation
import AWSCore
import AWSServices
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import Testing
import TestSupport

extension APIKeyIntegration {
    /// Crash injection through the real `bootstrap`: each AWS call of a rotation and of a retirement
    /// fails before it reaches the service (a reset) or after it took effect (the answer lost), the
    /// message is redelivered, and then every key is listed: no orphans, nothing lost.
    @Suite(.timeLimit(.minutes(8))) struct APIKeyFaultTests {
        enum Injection: String, CaseIterable, Sendable { case before, after }

        static let lostAnswer = FaultAction.forwardThenTransform { _ in
            FaultProxy.Response(status: .internalServerError, headers: ["Content-Type": "application/json"], bodyString: #"{"__type":"InternalFailure","message":"answer lost"}"#)
        }

        /// The work for item `index` of the scenario, as the sweep queues it (with its snapshot).
        static func queuedWork(_ scenario: APIKeyScenario, item index: Int, action: WorkItem.Action, keyID: String) -> String {
            let work = WorkItem(action: action, itemID: scenario.items[index].itemID, keyID: keyID, usagePlanID: scenario.planIDs[0],
                                snapshot: KeySnapshot(plans: scenario.planIDs, customerId: "customer-\(index)"))
            return String(decoding: (try? JSONEncoder().encode(work)) ?? Data(), as: UTF8.self)
        }

        /// Item 0 measures how many calls a clean rotation and retirement make; then each later item
        /// takes one case: that call reset before it reaches moto, or answered and the answer lost.
        /// One table, one proxy and one pair of functions serve every case, one case at a time.
        @Test func everyCallOfARotationAndARetirementFailedBeforeOrAfterConverges() async throws {
            let moto = try await MotoServer.shared()
            let caseCount = 2 * (5 + 5) + 8
            let scenario = try await APIKeyScenario.make(moto: moto, itemCount: caseCount + 1, plans: 2)
            try await FaultProxy.with(upstream: moto) { proxy in
                let environment = scenario.environment(endpoint: proxy.endpoint, extra: ["AWS_MAX_ATTEMPTS": "1"])
                let failedAsExpected = try await APIKeyFunctions.withFunctions(scenario, environment: environment) { functions in
                    let (itemID, old) = scenario.items[0]
                    let start = proxy.requestCount
                    #expect(try await functions.deliver(records: [("count-rotate", Self.queuedWork(scenario, item: 0, action: .rotate, keyID: old))]).isEmpty)
                    let rotationCalls = proxy.requestCount - start
                    try await scenario.age(itemID, graceEndedHoursAgo: 1)
                    let retireStart = proxy.requestCount
                    #expect(try await functions.deliver(records: [("count-retire", Self.queuedWork(scenario, item: 0, action: .retire, keyID: old))]).isEmpty)
                    let retirementCalls = proxy.requestCount - retireStart
                    #expect(rotationCalls >= 4 && retirementCalls >= 4)

                    var cases: [(WorkItem.Action, Int, Injection)] = []
                    for injection in Injection.allCases {
                        for call in 1...rotationCalls { cases.append((.rotate, call, injection)) }
                        for call in 1...retirementCalls { cases.append((.retire, call, injection)) }
                    }
                    try #require(cases.count <= caseCount, "the scenario has an item per case")
                    var failed = 0
                    for (index, (action, call, injection)) in cases.enumerated() {
                        if try await Self.runWithFault(functions, proxy: proxy, item: index + 1, action: action, call: call, injection: injection) { failed += 1 }
                    }
                    #expect(failed >= cases.count / 2, "most injected faults fail their delivery (the rest are absorbed)")
                    return failed
                }
                #expect(failedAsExpected > 0)
                #expect(try await scenario.orphanKeys().isEmpty, "no orphan keys after every case")
            }
        }

        /// Runs one case on item `index`; returns whether the faulted delivery failed.
        static func runWithFault(_ functions: APIKeyFunctions, proxy: FaultProxy, item index: Int, action: WorkItem.Action,
                                 call: Int, injection: Injection) async throws -> Bool {
            let scenario = functions.scenario
            let (itemID, old) = scenario.items[index]
            let label = "\(action) call \(call) \(injection)"
            let rotate = queuedWork(scenario, item: index, action: .rotate, keyID: old)
            if action == .retire {
                #expect(try await functions.deliver(records: [("setup", rotate)]).isEmpty)
                try await scenario.age(itemID, graceEndedHoursAgo: 1)
            }
            let body = action == .rotate ? rotate : queuedWork(scenario, item: index, action: .retire, keyID: old)
            let target = proxy.requestCount + call
            proxy.addRule(.init("fault", when: FaultProxy.Match { $0.sequenceNumber == target }, limit: 1,
                                action: injection == .before ? .resetConnection : lostAnswer))
            let failed = try await functions.deliver(records: [("m", body)]) == ["m"]
            proxy.removeAllRules()
            // SQS redelivers until the work succeeds.
            var converged = false
            for _ in 0..<3 where !converged { converged = try await functions.deliver(records: [("m", body)]).isEmpty }
            #expect(converged, "\(label): the redelivery converges")

            let item = try #require(try await scenario.item(itemID))
            let new = try #require(item["APIGWKeyID"]?.stringValue)
            #expect(new != old, "\(label)")
            let keys = try await scenario.keys(ofItem: index).map(\.id)
            #expect(try await scenario.keyExists(new))
            #expect(try await scenario.plans(of: new) == scenario.planIDs, "\(label)")
            #expect(item["rotatingFromKeyID"] == nil, "\(label)")
            switch action {
            case .rotate:
                #expect(item["previousAPIGWKeyID"]?.stringValue == old, "\(label)")
                #expect(Set(keys) == [old, new], "\(label): exactly one new key, the old one alive, no orphan")
            case .retire:
                #expect(item["previousAPIGWKeyID"] == nil, "\(label)")
                #expect(keys == [new], "\(label): the old key is gone, no orphan")
            }
            return failed
        }

        @Test func aRedeliveredMessageEndsInTheSameState() async throws {
            let moto = try await MotoServer.shared()
            let scenario = try await APIKeyScenario.make(moto: moto)
            try await APIKeyFunctions.withFunctions(scenario) { functions in
                _ = try await functions.runSweep()
                let sqs = SQSClient(client: scenario.client)
                let messages = try await sqs.receiveMessage(queueURL: scenario.queueURL, maxMessages: 10, visibilityTimeout: 1)
                #expect(messages.count == 1)
                #expect(try await functions.deliver(messages).isEmpty)
                #expect(try await functions.deliver(messages).isEmpty, "the same message again succeeds")
            }
            #expect(try await scenario.keys().count == 2)
            #expect(try await scenario.orphanKeys().isEmpty)
        }

        @Test func quotaUsageIsCarriedOverThroughGetUsageAndUpdateUsage() async throws {
            // moto 5.2.1 has neither GetUsage nor UpdateUsage: a stand-in in the proxy answers them in
            // API Gateway's wire format (GET /usageplans/{id}/usage -> {"values": {keyId: [[used, remaining]]}};
            // PATCH /usageplans/{id}/keys/{keyId}/usage with patchOperations replace /remaining).
            let moto = try await MotoServer.shared()
            let scenario = try await APIKeyScenario.make(moto: moto, quota: UsagePlan.Quota(limit: 1000, period: "MONTH"))
            let (itemID, old) = scenario.items[0]
            try await FaultProxy.with(upstream: moto) { proxy in
                let usage = UsageStandIn(remaining: ["\(scenario.planIDs[0])/\(old)": 37])
                proxy.addRule(.init("usage", when: FaultProxy.Match { $0.path.hasSuffix("/usage") }, action: .run { request in usage.answer(request) }))
                try await APIKeyFunctions.withFunctions(scenario, environment: scenario.environment(endpoint: proxy.endpoint)) { functions in
                    _ = try await functions.runSweep()
                    #expect(try await functions.deliverQueue().isEmpty)
                }
                let new = try #require(try await scenario.item(itemID)?["APIGWKeyID"]?.stringValue)
                #expect(usage.remaining["\(scenario.planIDs[0])/\(new)"] == 37, "the new key starts with what the old key had left")
                #expect(usage.readsFor(old) == 1)
            }
        }
    }
}

/// API Gateway's GetUsage and UpdateUsage, answered from a table of what each key has left.
final class UsageStandIn: Sendable {
    private let state: Mutex<(remaining: [String: Int], reads: [String])>
    init(remaining: [String: Int]) { state = Mutex((remaining, [])) }
    var remaining: [String: Int] { state.withLock { $0.remaining } }
    func readsFor(_ keyID: String) -> Int { state.withLock { $0.reads.filter { $0 == keyID }.count } }

    func answer(_ request: FaultProxy.Request) -> FaultAction {
        let parts = request.path.split(separator: "/").map(String.init)
        let json: HTTPHeaders = ["Content-Type": "application/json"]
        if request.method == .GET, parts.count == 3, parts[0] == "usageplans" {
            let plan = parts[1]
            let query = URLComponents(string: "http://x" + request.uri)?.queryItems ?? []
            let keyID = query.first { $0.name == "keyId" }?.value ?? ""
            let day = query.first { $0.name == "startDate" }?.value ?? ""
            let left = state.withLock { s in s.reads.append(keyID); return s.remaining["\(plan)/\(keyID)"] }
            let values = left.map { #"{"\#(keyID)":[[\#(1000 - $0),\#($0)]]}"# } ?? "{}"
            return .respond(status: .ok, headers: json, body: #"{"usagePlanId":"\#(plan)","startDate":"\#(day)","endDate":"\#(day)","values":\#(values)}"#)
        }
        if request.method == .PATCH, parts.count == 5, parts[0] == "usageplans", parts[2] == "keys" {
            struct Patch: Decodable { struct Op: Decodable { var op: String; var path: String; var value: String? }; var patchOperations: [Op] }
            guard let patch = try? JSONDecoder().decode(Patch.self, from: Data(request.bodyString.utf8)),
                  let op = patch.patchOperations.first, op.op == "replace", op.path == "/remaining", let value = op.value.flatMap(Int.init) else {
                return .awsError(.badRequest, code: "BadRequestException", message: "Invalid patch operation specified.", .restJSON)
            }
            state.withLock { $0.remaining["\(parts[1])/\(parts[3])"] = value }
            return .respond(status: .ok, headers: json, body: #"{"usagePlanId":"\#(parts[1])","values":{"\#(parts[3])":[[0,\#(value)]]}}"#)
        }
        return .awsError(.notFound, code: "NotFoundException", message: "no such usage path", .restJSON)
    }
}
