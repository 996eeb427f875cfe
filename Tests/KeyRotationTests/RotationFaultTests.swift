import AWSServices
import AWSXML
import Foundation
import KeyMaterial
import KeyRotation
import NIOHTTP1
import Testing
import TestSupport

/// Idempotence under failure: a rotation re-run from any step after a failure injected before or
/// after any AWS call (the request never arrived, or it took effect and the answer was lost) ends
/// in the same state as a clean rotation. Also CloudFront's ETag conflicts.
///
/// Each fault is aimed at one call of one step, named by its operation and its occurrence within
/// the step (the 2nd `GetSecretValue` of createSecret), so that neither the calls of the steps
/// before it nor the machine's load move it; the outcome of every (step, call, injection) is pinned.
@Suite(.timeLimit(.minutes(10))) struct RotationFaultTests {
    enum Injection: String, CaseIterable, Sendable {
        /// The connection is reset before the request reaches the service.
        case before
        /// The service handles the request, then the answer is lost (a 500 reaches the caller).
        case after
    }

    /// One AWS call of a step: its operation and which occurrence of that operation in the step it is.
    struct Call: Hashable, Sendable, CustomStringConvertible {
        let operation: String
        let occurrence: Int
        var description: String { "\(operation)#\(occurrence)" }
    }

    /// What a fault on one call does to the step it hits.
    enum Outcome: String, Sendable {
        /// The invocation reports an error and Secrets Manager retries the step.
        case stepFails
        /// The step handles the failure itself and succeeds.
        case absorbed
    }

    /// The AWS calls of each step, in order, in a rotation of one distribution whose CloudFront
    /// reports `InProgress` to exactly one `GetDistribution` after the update (so finishSecret polls twice).
    static let callsPerStep: [RotationStep: [String]] = [
        .createSecret: ["DescribeSecret", "GetSecretValue", "GetSecretValue", "PutSecretValue"],
        .setSecret: ["DescribeSecret", "GetSecretValue", "GetDistributionConfig", "UpdateDistribution"],
        .testSecret: ["DescribeSecret", "GetSecretValue", "GetSecretValue", "GetDistributionConfig"],
        .finishSecret: ["DescribeSecret", "GetSecretValue", "GetDistributionConfig", "GetDistribution", "GetDistribution", "UpdateSecretVersionStage"],
    ]

    /// The calls of `step`, each with its occurrence.
    static func calls(of step: RotationStep) -> [Call] {
        var seen: [String: Int] = [:]
        return (callsPerStep[step] ?? []).map { operation in
            seen[operation, default: 0] += 1
            return Call(operation: operation, occurrence: seen[operation, default: 1])
        }
    }

    /// With `AWS_MAX_ATTEMPTS=1` no call is retried by the client, and no step swallows an AWS
    /// error: every fault makes its step fail, whether the request never arrived or took effect.
    /// (Only CloudFront's 412 and throttling are retried by the step itself; a lost answer or a
    /// reset is not one of them.) A case listed here is expected to be absorbed instead.
    static let absorbed: Set<String> = []

    static func expectedOutcome(_ step: RotationStep, _ call: Call, _ injection: Injection) -> Outcome {
        absorbed.contains("\(step.rawValue) \(call) \(injection.rawValue)") ? .absorbed : .stepFails
    }

    /// The operation a request to moto calls: the JSON protocol's `X-Amz-Target`, or CloudFront's REST route.
    static func operation(of request: FaultProxy.Request) -> String {
        if let target = request.target { return String(target.split(separator: ".").last ?? Substring(target)) }
        let segments = request.path.split(separator: "/")
        switch (request.method, segments.count, segments.last) {
        case (.GET, 4, "config"): return "GetDistributionConfig"
        case (.PUT, 4, "config"): return "UpdateDistribution"
        case (.GET, 3, _) where segments[1] == "distribution": return "GetDistribution"
        default: return "\(request.method.rawValue) \(request.path)"
        }
    }

    /// A proxy in front of moto whose CloudFront reports `InProgress` to one poll after each update.
    static func withDeterministicCloudFront<T: Sendable>(_ kit: RotationTestKit, _ body: (FaultProxy) async throws -> T) async throws -> T {
        try await FaultProxy.with(upstream: kit.moto) { proxy in
            _ = CloudFrontPropagationStandIn(proxy: proxy, inProgressPolls: 1)
            return try await body(proxy)
        }
    }

    @Test func aCleanRotationMakesTheCallsTheFaultTableNames() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup, everyOptionalBlock: false)
        let token = try await scenario.startRotation(kit.setup)
        try await Self.withDeterministicCloudFront(kit) { proxy in
            try await RotationFunction.with(scenario, moto: kit.moto, endpoint: proxy.endpoint, extra: ["AWS_MAX_ATTEMPTS": "1"]) { (function) async throws in
                for step in RotationStep.allCases {
                    let start = proxy.requestCount
                    #expect(try await function.run([step], token: token) == nil)
                    let made = proxy.requests.dropFirst(start).map(Self.operation(of:))
                    #expect(made == Self.callsPerStep[step], "\(step)")
                }
            }
        }
    }

    @Test func aRotationReRunAfterAnyFailedCallConverges() async throws {
        let kit = try await RotationTestKit.make()
        var cases: [(RotationStep, Call, Injection)] = []
        for step in RotationStep.allCases {
            for call in Self.calls(of: step) {
                for injection in Injection.allCases { cases.append((step, call, injection)) }
            }
        }
        #expect(cases.count == 36, "every AWS call of every step, before and after")
        try await withThrowingTaskGroup(of: Void.self) { group in
            var iterator = cases.makeIterator()
            func addNext() {
                guard let (step, call, injection) = iterator.next() else { return }
                group.addTask {
                    let outcome = try await Self.runWithFault(kit, step: step, call: call, injection: injection)
                    #expect(outcome == Self.expectedOutcome(step, call, injection), "\(step) \(call) \(injection)")
                }
            }
            for _ in 0..<3 { addNext() }
            while try await group.next() != nil { addNext() }
        }
    }

    /// Runs one rotation with one fault; returns what the fault did to the faulted step. The steps
    /// before it and the re-run are the clean retries of Secrets Manager (the client's standard
    /// retries on); only the faulted invocation runs with `AWS_MAX_ATTEMPTS=1`, so that the fault
    /// reaches the step instead of being retried away by the client.
    static func runWithFault(_ kit: RotationTestKit, step: RotationStep, call: Call, injection: Injection) async throws -> Outcome {
        let scenario = try await OriginSecretScenario.make(kit.setup, everyOptionalBlock: false)
        let before = try #require(try await kit.currentVersion(scenario))
        let token = try await scenario.startRotation(kit.setup)
        let label = "\(step) \(call) \(injection)"
        return try await withDeterministicCloudFront(kit) { proxy in
            let steps = RotationStep.allCases
            let index = try #require(steps.firstIndex(of: step))
            let clean = try kit.rotator(scenario, endpoint: proxy.endpoint)
            try await RotationTestKit.run(clean, scenario, token: token, steps: Array(steps[..<index]))

            let action: FaultAction = switch injection {
            case .before: .resetConnection
            case .after: .forwardThenTransform { _ in FaultProxy.Response(status: .internalServerError, headers: ["Content-Type": "application/json"], bodyString: #"{"__type":"InternalFailure","message":"answer lost"}"#) }
            }
            let operation = call.operation
            proxy.addRuleFirst(.init("fault", when: FaultProxy.Match { Self.operation(of: $0) == operation }, schedule: .everyNth(call.occurrence), limit: 1, action: action))
            let faulted = try await RotationFunction.with(scenario, moto: kit.moto, endpoint: proxy.endpoint, extra: ["AWS_MAX_ATTEMPTS": "1"]) { function in
                try await function.invoke(step, token: token).errorReport
            }
            #expect(proxy.hits(rule: "fault") == 1, "\(label): the fault was injected")
            proxy.removeRules(named: "fault")

            // Secrets Manager retries the failed step, then goes on.
            try await RotationTestKit.run(clean, scenario, token: token, steps: Array(steps[index...]))
            try await kit.expectRotated(scenario, token: token, previousVersion: before)
            return faulted == nil ? .absorbed : .stepFails
        }
    }

    @Test func aConcurrentEditBetweenReadAndWriteIsRetriedAndBothEditsSurvive() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup, everyOptionalBlock: true)
        let id = scenario.distributionIds[0]
        let token = try await scenario.startRotation(kit.setup)
        try await FaultProxy.with(upstream: kit.moto) { proxy in
            let cloudFront = CloudFrontClient(client: kit.setup)
            // The first time the rotation writes the configuration, someone else has just changed the
            // comment: CloudFront answers 412 to the stale If-Match (moto does not check it).
            proxy.addRule(.init("concurrent edit", when: .method("PUT") && .pathPrefix("/2020-05-31/distribution/\(id)/config"), limit: 1, action: .run { _ in
                do {
                    let (config, etag) = try await cloudFront.getDistributionConfig(id: id)
                    var document = config.document
                    document.root.modifyChildren(named: "Comment") { $0.setText("edited by someone else") }
                    try await cloudFront.updateDistribution(id: id, config: try DistributionConfig(xml: document.bytes), ifMatch: etag)
                } catch {
                    Issue.record("the concurrent edit failed: \(error)")
                }
                return .awsError(.preconditionFailed, code: "PreconditionFailed", message: "The If-Match version is missing or not valid for the resource.", .xml)
            }))
            try await RotationFunction.with(scenario, moto: kit.moto, endpoint: proxy.endpoint) { (function) async throws in
                #expect(try await function.run(token: token) == nil)
            }

            let config = try await cloudFront.getDistributionConfig(id: id).config
            #expect(config.comment == "edited by someone else", "the concurrent edit survives")
            #expect(proxy.count(.method("PUT") && .pathPrefix("/2020-05-31/distribution/\(id)/config")) == 2, "the write was retried once")
            let value = try SecretDocument(secretString: try await SecretsManagerClient(client: kit.setup).getSecretValue(secretId: scenario.secretName).secretString ?? "", secretId: "s").value(forKey: "HTTP_API_KEY")
            let oursSurvived = config.origins.flatMap(\.customHeaders).filter { $0.name.lowercased() == "x-origin-verify" }.allSatisfy { $0.value == value }
            #expect(oursSurvived, "and so does ours")
            #expect(try await kit.currentVersion(scenario) == token)
        }
    }
}
