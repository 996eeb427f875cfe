import AWSServices
import Foundation
import KeyMaterial
import KeyRotation
import Logging
import OriginVerifier
import Testing
import TestSupport
import TrafficSimulation

/// Soak: the zero-downtime run with faults on. Edges lag behind the distribution, live traffic
/// flows through them to an origin guarded by the real verifier behind the stand-in for API
/// Gateway's authorizer result cache, and the real `bootstrap` rotates the secret twice, while
/// 20 % of every AWS call the rotation function and the verifier make fails. Failed steps are
/// retried as Secrets Manager does. At least 10,000 requests, none refused. Run by
/// `scripts/test.sh` after the suite (`KEYROTATOR_SOAK=1`); prints its figures.
@Suite(.serialized, .timeLimit(.minutes(10))) struct ZeroDowntimeSoakTests {
    static let enabled = ProcessInfo.processInfo.environment["KEYROTATOR_SOAK"] == "1"
    static let requestsPerSecond = Int(ProcessInfo.processInfo.environment["KEYROTATOR_SOAK_RATE"] ?? "") ?? 250

    @Test(.enabled(if: enabled, "a soak: scripts/test.sh runs it after the suite"))
    func rotationsUnderTrafficWithFaultsOnRefuseNothing() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup, distributions: 1, originsPerDistribution: 2)
        let logger = Logger(label: "zero-downtime-soak")
        let (samples, summary, attempts, cachedDenials) = try await FaultProxy.with(upstream: kit.moto) { proxy in
            _ = CloudFrontPropagationStandIn(proxy: proxy, inProgressFor: .seconds(1))
            let campaign = FaultCampaign(proxy: proxy, rate: 0.2, seed: 10_000, slowDelay: .milliseconds(1500))
            // The verifier reads Secrets Manager through the faults too (attempts time out after 1 s).
            let verifier = OriginVerifier(configuration: .init(secretId: scenario.secretName, cacheTTL: .seconds(3), earlyRefreshInterval: .seconds(1),
                                                               refreshTimeout: .seconds(10)),
                                          secretsManager: SecretsManagerClient(client: kit.moto.client(endpoint: proxy.endpoint, timeout: .seconds(1))),
                                          logger: logger)
            let gateway = AuthorizerResultCache(ttl: .seconds(5))
            let fleet = EdgeFleet(cloudFront: CloudFrontClient(client: kit.setup), distributionId: scenario.distributionIds[0],
                                  headerName: scenario.headerName, edgeCount: 8, maxLag: .seconds(6))
            try await fleet.refresh()
            return try await GuardedOrigin.with(verifier: verifier, resultCache: gateway, logger: logger) { origin in
                let traffic = TrafficGenerator(originURL: origin.url, fleet: fleet, requestsPerSecond: Self.requestsPerSecond)
                let start = ContinuousClock.now
                let attempts = try await traffic.whileRunning(startedAt: start, logger: logger) {
                    var attempts = 0
                    try await RotationFunction.with(scenario, moto: kit.moto, endpoint: proxy.endpoint, originURL: origin.url,
                                                    extra: ["VERIFIER_CACHE_TTL_SECONDS": "3", "VERIFIER_WAIT_MARGIN_SECONDS": "1",
                                                            "AWS_MAX_ATTEMPTS": "3"]) { function in
                        try await Task.sleep(for: .seconds(2))
                        for _ in 0..<2 {
                            let token = try await scenario.startRotation(kit.setup)
                            var converged = false
                            for _ in 0..<20 where !converged {
                                attempts += 1
                                converged = try await function.run(token: token) == nil
                            }
                            #expect(converged, "the rotation converged")
                            try await scenario.clearPendingLabel(kit.setup, version: token)
                            // Let the slowest edge switch over before the next rotation.
                            try await Task.sleep(for: .seconds(8))
                        }
                    }
                    // Keep the traffic up until it has made at least 10,000 requests.
                    while traffic.results.count < 10_000, ContinuousClock.now - start < .seconds(240) {
                        try await Task.sleep(for: .milliseconds(500))
                    }
                    return attempts
                }
                return (traffic.results, campaign.summary, attempts, gateway.counts.cachedDenials)
            }
        }
        let refused = samples.filter { !$0.accepted }
        print("soak zero downtime: \(samples.count) requests, \(refused.count) refused, 2 rotations in \(attempts) attempts, \(summary)")
        #expect(samples.count >= 10_000)
        #expect(refused.isEmpty, "no request was refused: \(refused.prefix(10).map { "\($0.elapsedMilliseconds)ms edge \($0.edge) sha256:\($0.fingerprint) HTTP \($0.status)" })")
        #expect(Set(samples.map(\.fingerprint)).count == 3, "edges sent the first value, then each rotation's")
        #expect(cachedDenials == 0, "the gateway never cached a Deny of a value an edge sent")
    }
}
