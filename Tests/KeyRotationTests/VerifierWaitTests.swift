import AWSServices
import Foundation
import InMemoryLogging
import KeyMaterial
import KeyRotation
import Logging
import OriginVerifier
import Synchronization
import Testing
import TestSupport
import TrafficSimulation

/// No edge sends a new value before every verifier can accept it. API Gateway caches an authorizer's
/// Deny per header value for its result TTL, so a verifier whose key ring predates createSecret must
/// never be asked about the pending value: setSecret waits `VERIFIER_CACHE_TTL_SECONDS` (+ margin)
/// after the pending version exists before it changes any distribution.
@Suite(.timeLimit(.minutes(3))) struct VerifierWaitTests {
    @Test func aVerifierThatLoadedJustBeforeCreateSecretIsNeverAskedAboutTheNewValueTooEarly() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup, distributions: 1, originsPerDistribution: 2)
        let logger = Logger(label: "verifier-wait")
        // The authorizer's defaults scaled down: a 4 s key ring TTL, early refreshes at most every 5 s,
        // behind a gateway result cache that keeps Allow and Deny for 10 s.
        let verifier = OriginVerifier(configuration: .init(secretId: scenario.secretName, cacheTTL: .seconds(4), refreshTimeout: .seconds(30)),
                                      secretsManager: SecretsManagerClient(client: kit.setup), logger: logger)
        let gateway = AuthorizerResultCache(ttl: .seconds(10))
        let fleet = EdgeFleet(cloudFront: CloudFrontClient(client: kit.setup), distributionId: scenario.distributionIds[0],
                              headerName: scenario.headerName, edgeCount: 4, maxLag: .milliseconds(500))
        try await fleet.refresh()

        let (report, samples) = try await GuardedOrigin.with(verifier: verifier, resultCache: gateway, logger: logger) { origin in
            let traffic = TrafficGenerator(originURL: origin.url, fleet: fleet, requestsPerSecond: 25)
            return try await FaultProxy.with(upstream: kit.moto) { proxy in
                _ = CloudFrontPropagationStandIn(proxy: proxy, inProgressFor: .seconds(1))
                let report = try await traffic.whileRunning(logger: logger) {
                    try await Task.sleep(for: .seconds(1))
                    // The ring is as fresh as it can be when the rotation starts: it cannot know the pending value.
                    try await verifier.refresh()
                    let token = try await scenario.startRotation(kit.setup)
                    let report = try await RotationFunction.with(scenario, moto: kit.moto, endpoint: proxy.endpoint, originURL: origin.url,
                                                                 extra: ["VERIFIER_CACHE_TTL_SECONDS": "4", "VERIFIER_WAIT_MARGIN_SECONDS": "1"]) {
                        try await $0.run(token: token)
                    }
                    try await Task.sleep(for: .seconds(2))
                    return report
                }
                return (report, traffic.results)
            }
        }

        #expect(report == nil, "the rotation completed, testSecret's probes through the gateway cache included: \(report.map { "\($0)" } ?? "")")
        let newFingerprints = Set(samples.map(\.fingerprint)).subtracting([fingerprint(scenario.initialValue)])
        #expect(newFingerprints.count == 1, "the edges switched to the new value")
        let refused = samples.filter { !$0.accepted }
        #expect(refused.isEmpty, "no request was refused: \(refused.map { "\($0.elapsedMilliseconds)ms sha256:\($0.fingerprint) HTTP \($0.status)" })")
        #expect(gateway.counts.cachedDenials == 0, "the gateway never cached a Deny of a value an edge sent")
    }

    @Test func setSecretWaitsOnceAndFailsCleanlyWhenTheInvocationCannotWait() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup)
        // Verifiers that cache for a minute: whatever the machine's load, one second cannot hold the wait.
        let patient = try kit.rotator(scenario, verifierCacheTTL: 60, verifierWaitMargin: 0.5)
        let token = try await scenario.startRotation(kit.setup)
        try await RotationTestKit.run(patient, scenario, token: token, steps: [.createSecret])
        let pending = try await SecretsManagerClient(client: kit.setup).getSecretValue(secretId: scenario.secretName, versionId: token)
        let createdDate = try #require(pending.createdDate)

        // Three seconds left, half a second of it kept back.
        do {
            try await RotationTestKit.run(patient, scenario, token: token, steps: [.setSecret], deadline: .now + .seconds(3))
            Issue.record("setSecret changed the distributions before the verifiers could know the pending value")
        } catch let error as RotationError where error.code == .verifiersNotReady {
            #expect(error.message.contains("no distribution was changed") && error.message.contains("VERIFIER_CACHE_TTL_SECONDS"))
        } catch let error as RotationError where error.code == .outOfTime {
            // A machine so busy that reading the secret took the three seconds: the step still stopped cleanly.
        }
        for id in scenario.distributionIds {
            let config = try await CloudFrontClient(client: kit.setup).getDistributionConfig(id: id).config
            let untouched = config.xmlBytes == scenario.initialConfigs[id]?.xmlBytes
            #expect(untouched, "\(id) is untouched")
        }

        // Verifiers that cache for 3 s: the step waits until the version is 3.5 s old, then changes the distributions.
        let rotator = try kit.rotator(scenario, verifierCacheTTL: 3, verifierWaitMargin: 0.5)
        try await RotationTestKit.run(rotator, scenario, token: token, steps: [.setSecret])
        let changedAt = Date()
        #expect(changedAt.timeIntervalSince(createdDate) >= 3.5, "no distribution sent the value before it was 3.5 s old")

        let again = InMemoryLogHandler()
        try await RotationTestKit.run(rotator, scenario, token: token, steps: [.setSecret], logger: again.logger())
        #expect(!again.entries.contains { $0.message == "waiting for verifiers to learn the pending value" }, "a re-run after the wait does not wait again")
    }
}
