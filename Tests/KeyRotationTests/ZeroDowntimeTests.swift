import AWSServices
import Foundation
import KeyMaterial
import KeyRotation
import Logging
import OriginVerifier
import Synchronization
import Testing
import TestSupport
import TrafficSimulation

/// The zero-downtime claim under live traffic: simulated edges keep sending the previous value
/// for a lag that outlasts `InProgress` (the slowest is held on it until it has sent it after
/// finishSecret, whatever the machine's load), steady traffic flows through them
/// to an origin guarded by the real verifier, and the real `bootstrap` rotates the secret.
/// Beside it, a verifier built the way amazon-cloudfront-api-key-rotator's authorizer works (reads
/// Secrets Manager on every request, accepts only AWSCURRENT and AWSPENDING) is asked about the
/// old value the moment the rotation finishes.
@Suite(.timeLimit(.minutes(3))) struct ZeroDowntimeTests {
    final class Moment: Sendable {
        let value = Mutex<ContinuousClock.Instant?>(nil)
    }

    struct Run: Sendable {
        var report: RuntimeAPIErrorReport?
        var oursOnTheOldValue: Decision
        var seedOnTheOldValue: Decision
        var deployedAt: ContinuousClock.Instant?
        var samples: [TrafficGenerator.Sample]
        var finishedAt: ContinuousClock.Instant
    }

    @Test func aRotationUnderTrafficRejectsNothing() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup, distributions: 1, originsPerDistribution: 2)
        let logger = Logger(label: "zero-downtime")
        let secretsManager = SecretsManagerClient(client: kit.setup)
        let oldFingerprint = fingerprint(scenario.initialValue)

        let ours = OriginVerifier(configuration: .init(secretId: scenario.secretName, cacheTTL: .seconds(3), earlyRefreshInterval: .seconds(1),
                                                        refreshTimeout: .seconds(30)),
                                  secretsManager: secretsManager, logger: logger)
        let seedStyle = OriginVerifier(configuration: .init(secretId: scenario.secretName, cacheTTL: .zero, previousGracePeriod: .zero,
                                                            earlyRefreshInterval: .zero, refreshTimeout: .seconds(30)),
                                       secretsManager: secretsManager, logger: logger)
        // Ours sits behind a stand-in for API Gateway's authorizer result cache, as a Lambda authorizer does.
        let gateway = AuthorizerResultCache(ttl: .seconds(5))
        let fleet = EdgeFleet(cloudFront: CloudFrontClient(client: kit.setup), distributionId: scenario.distributionIds[0],
                              headerName: scenario.headerName, edgeCount: 4, maxLag: .seconds(8))
        try await fleet.refresh()
        let slowest = fleet.lags.count - 1
        let finished = Moment()
        let start = ContinuousClock.now

        let run = try await GuardedOrigin.with(verifier: ours, resultCache: gateway, logger: logger) { origin in
            let traffic = TrafficGenerator(originURL: origin.url, fleet: fleet, requestsPerSecond: 30)
            return try await FaultProxy.with(upstream: kit.moto) { proxy in
                let standIn = CloudFrontPropagationStandIn(proxy: proxy, inProgressFor: .seconds(1))
                proxy.addRule(.init("record finish", when: .target("UpdateSecretVersionStage"), action: .run { _ in
                    finished.value.withLock { $0 = .now }
                    return .forward
                }))
                return try await traffic.whileRunning(startedAt: start, logger: logger) {
                    try await Task.sleep(for: .seconds(1))
                    // The slowest edge keeps the old value until it has sent it after finishSecret,
                    // however long the rotation takes on this machine.
                    fleet.hold(edge: slowest)
                    let token = try await scenario.startRotation(kit.setup)
                    let report = try await RotationFunction.with(scenario, moto: kit.moto, endpoint: proxy.endpoint, originURL: origin.url,
                                                                 extra: ["VERIFIER_CACHE_TTL_SECONDS": "3", "VERIFIER_WAIT_MARGIN_SECONDS": "1"]) {
                        try await $0.run(token: token)
                    }
                    // Right after finishSecret, while the lagging edges still send it: the old value is AWSPREVIOUS.
                    try await ours.refresh()
                    let oursOnTheOldValue = await ours.verify(headerValue: scenario.initialValue)
                    let seedOnTheOldValue = await seedStyle.verify(headerValue: scenario.initialValue)
                    let finishedAt = try #require(finished.value.withLock { $0 }, "finishSecret moved AWSCURRENT")
                    let finishedMs = Int((finishedAt - start) / .milliseconds(1))
                    let deadline = ContinuousClock.now + .seconds(20)
                    while !traffic.results.contains(where: { $0.edge == slowest && $0.fingerprint == oldFingerprint && $0.sentMilliseconds > finishedMs }),
                          ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    fleet.release(edge: slowest)
                    // Let the slowest edge switch over, then some.
                    try await Task.sleep(for: .seconds(9))
                    return Run(report: report, oursOnTheOldValue: oursOnTheOldValue, seedOnTheOldValue: seedOnTheOldValue,
                               deployedAt: standIn.deployedAt(scenario.distributionIds[0]), samples: traffic.results, finishedAt: finishedAt)
                }
            }
        }

        #expect(run.report == nil, "the rotation completed: \(run.report.map { "\($0)" } ?? "")")
        let samples = run.samples
        let finishedMs = Int((run.finishedAt - start) / .milliseconds(1))
        #expect(samples.count > 200)
        let notAccepted = samples.filter { !$0.accepted }
        #expect(notAccepted.isEmpty, "the verifier rejected no request an edge sent: \(notAccepted.map { "\($0.elapsedMilliseconds)ms edge \($0.edge) sha256:\($0.fingerprint) HTTP \($0.status)" })")
        #expect(Set(samples.map(\.fingerprint)).count == 2, "edges sent the old value, then the new one")
        #expect(gateway.counts.cachedDenials == 0, "the gateway never cached a Deny of a value an edge sent")
        #expect(samples.contains { $0.fingerprint == oldFingerprint && $0.sentMilliseconds > finishedMs && $0.accepted },
                "an edge still sent the old value after AWSCURRENT moved, and it was accepted")
        #expect(run.deployedAt != nil)
        let lastSecond = samples.filter { $0.sentMilliseconds > samples.map(\.sentMilliseconds).max()! - 1000 }
        #expect(lastSecond.allSatisfy { $0.fingerprint != oldFingerprint }, "every edge sends the new value at the end")

        // The design of amazon-cloudfront-api-key-rotator's authorizer drops the old value the moment
        // finishSecret moves the label, while edges still send it; ours keeps it for the grace period.
        #expect(run.oursOnTheOldValue == .allowed(.previous))
        #expect(run.seedOnTheOldValue == .denied(.unknownValue))
    }
}
