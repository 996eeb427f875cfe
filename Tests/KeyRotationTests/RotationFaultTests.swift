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
@Suite struct RotationFaultTests {
    enum Injection: String, CaseIterable, Sendable {
        /// The connection is reset before the request reaches the service.
        case before
        /// The service handles the request, then the answer is lost (a 500 reaches the caller).
        case after
    }

    /// How many AWS calls each step makes in a clean run through a proxy.
    static func callsPerStep(_ kit: RotationTestKit) async throws -> [RotationStep: Int] {
        let scenario = try await OriginSecretScenario.make(kit.setup, everyOptionalBlock: false)
        let token = try await scenario.startRotation(kit.setup)
        let proxy = try await FaultProxy.start(upstream: kit.moto)
        let function = try await RotationFunction.start(scenario, moto: kit.moto, endpoint: proxy.endpoint, extra: ["AWS_MAX_ATTEMPTS": "1"])
        var counts: [RotationStep: Int] = [:]
        for step in RotationStep.allCases {
            let start = proxy.requestCount
            #expect(try await function.run([step], token: token) == nil)
            counts[step] = proxy.requestCount - start
        }
        await function.stop()
        try await proxy.shutdown()
        return counts
    }

    @Test func aRotationReRunAfterAnyFailedCallConverges() async throws {
        let kit = try await RotationTestKit.make()
        let counts = try await Self.callsPerStep(kit)
        var cases: [(RotationStep, Int, Injection)] = []
        for step in RotationStep.allCases {
            for call in 1...(counts[step] ?? 0) {
                for injection in Injection.allCases { cases.append((step, call, injection)) }
            }
        }
        #expect(cases.count >= 30, "every AWS call of every step, before and after: \(counts)")
        var failedAsExpected = 0
        try await withThrowingTaskGroup(of: Bool.self) { group in
            var iterator = cases.makeIterator()
            func addNext() {
                guard let (step, call, injection) = iterator.next() else { return }
                group.addTask { try await Self.runWithFault(kit, step: step, call: call, injection: injection) }
            }
            for _ in 0..<4 { addNext() }
            while let stepFailed = try await group.next() {
                if stepFailed { failedAsExpected += 1 }
                addNext()
            }
        }
        #expect(failedAsExpected >= cases.count / 2, "most injected faults make their step fail (the rest are absorbed)")
    }

    /// Runs one rotation with one fault; returns whether the faulted step reported an error.
    static func runWithFault(_ kit: RotationTestKit, step: RotationStep, call: Int, injection: Injection) async throws -> Bool {
        let scenario = try await OriginSecretScenario.make(kit.setup, everyOptionalBlock: false)
        let before = try #require(try await kit.currentVersion(scenario))
        let token = try await scenario.startRotation(kit.setup)
        let proxy = try await FaultProxy.start(upstream: kit.moto)
        let function = try await RotationFunction.start(scenario, moto: kit.moto, endpoint: proxy.endpoint, extra: ["AWS_MAX_ATTEMPTS": "1"])
        defer { Task { await function.stop(); try? await proxy.shutdown() } }

        let steps = RotationStep.allCases
        let index = try #require(steps.firstIndex(of: step))
        #expect(try await function.run(Array(steps[..<index]), token: token) == nil)
        let target = proxy.requestCount + call
        let action: FaultAction = switch injection {
        case .before: .resetConnection
        case .after: .forwardThenTransform { _ in FaultProxy.Response(status: .internalServerError, headers: ["Content-Type": "application/json"], bodyString: #"{"__type":"InternalFailure","message":"answer lost"}"#) }
        }
        proxy.addRule(.init("fault", when: FaultProxy.Match { $0.sequenceNumber == target }, limit: 1, action: action))
        let faulted = try await function.invoke(step, token: token).errorReport
        proxy.removeAllRules()
        // Secrets Manager retries the failed step, then goes on.
        let retried = try await function.run(Array(steps[index...]), token: token)
        #expect(retried == nil, "\(step) call \(call) \(injection): the re-run converges")
        try await kit.expectRotated(scenario, token: token, previousVersion: before)
        return faulted != nil
    }

    @Test func aConcurrentEditBetweenReadAndWriteIsRetriedAndBothEditsSurvive() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup, everyOptionalBlock: true)
        let id = scenario.distributionIds[0]
        let token = try await scenario.startRotation(kit.setup)
        let proxy = try await FaultProxy.start(upstream: kit.moto)
        defer { Task { try? await proxy.shutdown() } }
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
        let function = try await RotationFunction.start(scenario, moto: kit.moto, endpoint: proxy.endpoint)
        defer { Task { await function.stop() } }
        #expect(try await function.run(token: token) == nil)

        let config = try await cloudFront.getDistributionConfig(id: id).config
        #expect(config.comment == "edited by someone else", "the concurrent edit survives")
        #expect(proxy.count(.method("PUT") && .pathPrefix("/2020-05-31/distribution/\(id)/config")) == 2, "the write was retried once")
        let value = try SecretDocument(secretString: try await SecretsManagerClient(client: kit.setup).getSecretValue(secretId: scenario.secretName).secretString ?? "", secretId: "s").value(forKey: "HTTP_API_KEY")
        let oursSurvived = config.origins.flatMap(\.customHeaders).filter { $0.name.lowercased() == "x-origin-verify" }.allSatisfy { $0.value == value }
        #expect(oursSurvived, "and so does ours")
        #expect(try await kit.currentVersion(scenario) == token)
    }
}
