import AWSServices
import Foundation
import InMemoryLogging
import KeyMaterial
import Logging
@testable import OriginVerifier
import Testing
import TestSupport

/// What the verifier costs in Secrets Manager calls, and how it behaves when Secrets Manager fails.
@Suite(.timeLimit(.minutes(5))) struct OriginVerifierCacheTests {
    @Test func concurrentTrafficCostsOneLoadPerTTL() async throws {
        let initial = SecretFixture.randomValue(), next = SecretFixture.randomValue()
        try await SecretFixture.with(initial: initial) { fixture in
            try await fixture.rotate(to: next)
            let verifier = fixture.verifier()

            let allowed = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<2_000 {
                    group.addTask { await verifier.verify(headerValue: index.isMultiple(of: 2) ? next : initial).isAllowed }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(allowed == 2_000)
            #expect(fixture.describeCalls == 1)
            #expect(fixture.valueCalls == 2, "AWSCURRENT and AWSPREVIOUS, once each")

            fixture.clock.advance(by: 59)
            #expect(await decision(of: next, by: verifier) == .allowed(.current))
            #expect(fixture.describeCalls == 1)

            fixture.clock.advance(by: 2)
            for _ in 0..<500 { _ = await verifier.verify(headerValue: next) }
            #expect(fixture.describeCalls == 2)
            #expect(fixture.valueCalls == 2, "versions are immutable: a refresh reads no value it already has")
            #expect(verifier.metrics.refreshes == 2 && verifier.metrics.secretValueReads == 2)
        }
    }

    @Test func unknownValuesRefreshEarlyAtMostOncePerInterval() async throws {
        let initial = SecretFixture.randomValue(), next = SecretFixture.randomValue()
        try await SecretFixture.with(initial: initial) { fixture in
            let verifier = fixture.verifier { $0.earlyRefreshInterval = .seconds(5) }
            #expect(await decision(of: initial, by: verifier) == .allowed(.current))

            // A spray of wrong values right after a load: no call at all.
            for _ in 0..<200 { _ = await verifier.verify(headerValue: SecretFixture.randomValue()) }
            #expect(fixture.describeCalls == 1)

            // The rotator stores a new pending value; edges start sending it before the TTL is up.
            _ = try await fixture.putPending(next)
            fixture.clock.advance(by: 6)
            #expect(await decision(of: next, by: verifier) == .allowed(.pending))
            #expect(fixture.describeCalls == 2)
            #expect(verifier.metrics.earlyRefreshes == 1)

            // Concurrent spray: still at most one early load per interval.
            fixture.clock.advance(by: 6)
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<500 { group.addTask { _ = await verifier.verify(headerValue: SecretFixture.randomValue()) } }
            }
            #expect(fixture.describeCalls == 3)
            #expect(verifier.metrics.earlyRefreshes == 2)
        }
    }

    @Test func secretsManagerDownWithoutARingDeniesAndRetriesAtABoundedRate() async throws {
        let initial = SecretFixture.randomValue()
        try await SecretFixture.with(initial: initial) { fixture in
            fixture.proxy.addRule(.init("down", action: .serviceUnavailable(.json)))
            let verifier = fixture.verifier { $0.failureRetryInterval = .seconds(5) }

            for _ in 0..<100 { #expect(await decision(of: initial, by: verifier) == .denied(.noKeyRing)) }
            #expect(fixture.proxy.requestCount == 1, "one failed attempt, then no call until the retry interval")
            #expect(verifier.metrics.refreshFailures == 1)
            #expect(verifier.lastRefreshError?.code == "SecretsManagerFailed")
            #expect(fixture.logs.entries("origin key ring refresh failed").count == 1)

            fixture.proxy.removeAllRules()
            fixture.clock.advance(by: 5)
            #expect(await decision(of: initial, by: verifier) == .allowed(.current))
            #expect(verifier.lastRefreshError == nil)
        }
    }

    @Test func secretsManagerDownServesTheLastRingForABoundedTime() async throws {
        let initial = SecretFixture.randomValue()
        try await SecretFixture.with(initial: initial) { fixture in
            let verifier = fixture.verifier {
                $0.cacheTTL = .seconds(60)
                $0.staleIfErrorPeriod = .seconds(300)
                $0.failureRetryInterval = .seconds(5)
            }
            #expect(await decision(of: initial, by: verifier) == .allowed(.current))

            fixture.proxy.addRule(.init("down", action: .resetConnection))
            fixture.clock.advance(by: 61)
            #expect(await decision(of: initial, by: verifier) == .allowed(.current))
            #expect(await decision(of: "wrong", by: verifier) == .denied(.unknownValue))
            #expect(verifier.metrics.refreshFailures == 1)
            #expect(verifier.metrics.staleServes == 1)

            fixture.clock.advance(by: 200)  // 261 s old: past TTL, within TTL + stale-if-error
            #expect(await decision(of: initial, by: verifier) == .allowed(.current))
            #expect(verifier.metrics.refreshFailures == 2)

            fixture.clock.advance(by: 100)  // 361 s old: past the bound
            #expect(await decision(of: initial, by: verifier) == .denied(.noKeyRing))
            let failures = verifier.metrics.refreshFailures
            #expect(failures == 3)
            #expect(fixture.logs.entries("origin key ring refresh failed").count == failures)

            fixture.proxy.removeAllRules()
            fixture.clock.advance(by: 5)
            #expect(await decision(of: initial, by: verifier) == .allowed(.current))
        }
    }

    @Test func rejectionsAreLoggedRateLimitedWithAFingerprintOnly() async throws {
        let initial = SecretFixture.randomValue()
        try await SecretFixture.with(initial: initial) { fixture in
            let verifier = fixture.verifier { $0.rejectionLogInterval = .seconds(10) }
            let wrong = "attacker-guess-\(UUID().uuidString)"
            for _ in 0..<100 { _ = await verifier.verify(headerValue: wrong) }
            _ = await verifier.verify(headerValue: initial)

            var rejected = fixture.logs.entries("origin request rejected")
            #expect(rejected.count == 1)
            #expect(rejected.first?.metadata["fingerprint"].map { "\($0)" } == fingerprint(wrong))
            fixture.clock.advance(by: 10)
            _ = await verifier.verify(headerValue: wrong)
            rejected = fixture.logs.entries("origin request rejected")
            #expect(rejected.count == 2)
            #expect(rejected.last?.metadata["suppressedSinceLastLog"] == "99")

            let text = fixture.logs.text
            #expect(!text.contains(wrong) && !text.contains(initial))
            #expect(verifier.metrics.rejections == 101)
        }
    }

    /// A Secrets Manager that accepts connections and never answers cannot hold a refresh, or the
    /// requests waiting on it, past their bounds.
    @Test(.timeLimit(.minutes(2))) func aHangingSecretsManagerNeitherHoldsARefreshNorARequestPastItsBound() async throws {
        let initial = SecretFixture.randomValue()
        try await SecretFixture.with(initial: initial) { fixture in
            // Calls that could wait a minute: only the verifier's own bound can cut the load short.
            let verifier = fixture.verifier(clientTimeout: .seconds(60)) {
                $0.cacheTTL = .seconds(60)
                $0.refreshTimeout = .seconds(10)
            }
            // The first ring, however loaded the machine (a load cut off at 10 s is tried again).
            var loaded = false
            for _ in 0..<3 where !loaded { loaded = (try? await verifier.refresh()) != nil }
            #expect(await decision(of: initial, by: verifier) == .allowed(.current))
            fixture.proxy.addRule(.init("hang", action: .timeout))
            fixture.clock.advance(by: 61)

            let started = ContinuousClock.now
            await #expect(throws: OriginVerifierError.refreshTimedOut(secretId: fixture.name, after: .seconds(10))) { try await verifier.refresh() }
            #expect(ContinuousClock.now - started < .seconds(60), "the load was cut off at its own bound, not by the client's 60 s timeout")

            // A request with its own, shorter deadline stops waiting then and answers from the last ring.
            fixture.clock.advance(by: 5)
            let abandonedBefore = verifier.metrics.abandonedWaits
            let decision = await verifier.verify(headerValue: initial, deadline: .now + .milliseconds(300))
            #expect(decision == .allowed(.current))
            #expect(verifier.metrics.abandonedWaits == abandonedBefore + 1, "the request stopped waiting for the 10 s refresh at its own deadline")
            #expect(verifier.metrics.staleServes >= 1)
        }
    }
}
