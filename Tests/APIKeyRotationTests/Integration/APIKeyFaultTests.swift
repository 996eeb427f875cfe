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
    /// message is redelivered, and then every key is listed: no orphans, nothing lost. The calls of
    /// each action and the outcome of every (action, call, injection) are pinned.
    @Suite(.timeLimit(.minutes(8))) struct APIKeyFaultTests {
        enum Injection: String, CaseIterable, Sendable { case before, after }

        static let lostAnswer = FaultAction.forwardThenTransform { _ in
            FaultProxy.Response(status: .internalServerError, headers: ["Content-Type": "application/json"], bodyString: #"{"__type":"InternalFailure","message":"answer lost"}"#)
        }

        /// What a fault on one call does to the delivery it hits.
        enum Outcome: String, Sendable {
            /// The function reports the message as failed and SQS redelivers it.
            case deliveryFails
            /// The function handles the failure itself and the delivery succeeds.
            case absorbed
        }

        /// The AWS calls of a rotation and of a retirement of one key in two usage plans, in order.
        static let callsPerAction: [WorkItem.Action: [String]] = [
            .rotate: ["GetItem", "UpdateItem", "POST /apikeys", "POST /usageplans/{id}/keys", "POST /usageplans/{id}/keys", "UpdateItem"],
            .retire: ["GetItem", "GET /apikeys/{id}", "GET /usageplans", "DELETE /usageplans/{id}/keys/{id}", "DELETE /usageplans/{id}/keys/{id}",
                      "DELETE /apikeys/{id}", "GET /apikeys", "UpdateItem"],
        ]

        /// With `AWS_MAX_ATTEMPTS=1` no call is retried by the client and every fault fails its
        /// delivery, with one exception: a `CreateApiKey` whose answer was lost is not retried (a
        /// retry would make a second key); the rotator finds the key it made by its name and goes on.
        static let absorbed: Set<String> = ["rotate POST /apikeys after"]

        static func expectedOutcome(_ action: WorkItem.Action, _ operation: String, _ injection: Injection) -> Outcome {
            absorbed.contains("\(action) \(operation) \(injection.rawValue)") ? .absorbed : .deliveryFails
        }

        /// The call a request to moto makes: DynamoDB's `X-Amz-Target` operation, or API Gateway's
        /// REST route with its ids as `{id}` (`POST /apikeys`, `DELETE /usageplans/{id}/keys/{id}`).
        static func operation(of request: FaultProxy.Request) -> String {
            if let target = request.target { return String(target.split(separator: ".").last ?? Substring(target)) }
            let literals: Set<Substring> = ["apikeys", "usageplans", "keys", "usage"]
            let route = request.path.split(separator: "/").map { literals.contains($0) ? String($0) : "{id}" }
            return "\(request.method.rawValue) /\(route.joined(separator: "/"))"
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
            let caseCount = 2 * (6 + 8)
            let scenario = try await APIKeyScenario.make(moto: moto, itemCount: caseCount + 1, plans: 2)
            try await FaultProxy.with(upstream: moto) { proxy in
                let environment = scenario.environment(endpoint: proxy.endpoint, extra: ["AWS_MAX_ATTEMPTS": "1"])
                try await APIKeyFunctions.withFunctions(scenario, environment: environment) { functions in
                    let (itemID, old) = scenario.items[0]
                    let start = proxy.requestCount
                    #expect(try await functions.deliver(records: [("count-rotate", Self.queuedWork(scenario, item: 0, action: .rotate, keyID: old))]).isEmpty)
                    let rotationCalls = proxy.requestCount - start
                    try await scenario.age(itemID, graceEndedHoursAgo: 1)
                    let retireStart = proxy.requestCount
                    #expect(try await functions.deliver(records: [("count-retire", Self.queuedWork(scenario, item: 0, action: .retire, keyID: old))]).isEmpty)
                    let retirementCalls = proxy.requestCount - retireStart
                    try #require(proxy.requests[start..<retireStart].map(Self.operation) == Self.callsPerAction[.rotate],
                                 "a rotation makes the calls the outcomes below are pinned for")
                    try #require(proxy.requests[retireStart...].map(Self.operation) == Self.callsPerAction[.retire],
                                 "a retirement makes the calls the outcomes below are pinned for")

                    var cases: [(WorkItem.Action, Int, Injection)] = []
                    for injection in Injection.allCases {
                        for call in 1...rotationCalls { cases.append((.rotate, call, injection)) }
                        for call in 1...retirementCalls { cases.append((.retire, call, injection)) }
                    }
                    try #require(cases.count <= caseCount, "the scenario has an item per case")
                    for (index, (action, call, injection)) in cases.enumerated() {
                        let operation = Self.callsPerAction[action]?[call - 1] ?? "?"
                        let failed = try await Self.runWithFault(functions, proxy: proxy, item: index + 1, action: action, call: call, injection: injection)
                        #expect((failed ? Outcome.deliveryFails : .absorbed) == Self.expectedOutcome(action, operation, injection),
                                "\(action) call \(call) (\(operation)) faulted \(injection)")
                    }
                }
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
