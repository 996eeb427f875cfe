import APIKeyRotation
import Foundation
import Logging
import Testing
import TestSupport

/// Rotations through a stand-in that throttles at API Gateway's rates.
@Suite struct QuotaTests {
    @Test(.timeLimit(.minutes(1)))
    func throttledCallsBackOffAndEveryRotationSucceeds() async throws {
        let throttle = APIGatewayThrottle(callRate: 200, callBurst: 5, keyWriteRate: 50, keyWriteBurst: 1)
        let kit = RotationKit(throttle: throttle)
        let plan = kit.gateway.addPlan("p")
        let items = (0..<20).map { kit.addItem("i\($0)", plans: [plan]).item }
        // Far faster than the stand-in allows, so that it throttles and the backoff has to work.
        let store = RateLimitedKeyStore(kit.gateway, calls: RateLimiter(ratePerSecond: 10_000, burst: 100), keyWrites: RateLimiter(ratePerSecond: 10_000, burst: 100),
                                        backoff: ThrottlingBackoff(maxAttempts: 50, baseDelay: .milliseconds(5), maxDelay: .milliseconds(50)), logger: kit.logger)
        let rotator = APIKeyRotator(configuration: kit.configuration, store: store, table: kit.table, clock: kit.clock)
        let logger = kit.logger
        let outcomes = try await withThrowingTaskGroup(of: RotationOutcome.self) { group in
            for item in items { group.addTask { try await rotator.rotate(kit.rotateWork(item), logger: logger) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.count == 20)
        #expect(throttle.throttledCount > 0, "the stand-in did throttle")
        #expect(store.throttledCalls == throttle.throttledCount)
        #expect(kit.orphanKeys.isEmpty)
    }

    @Test func aThrottleThatNeverEndsIsAnErrorThatSaysWhatToLower() async throws {
        let kit = RotationKit(throttle: APIGatewayThrottle(callRate: 0.001, callBurst: 1, keyWriteRate: 0.001, keyWriteBurst: 1))
        let plan = kit.gateway.addPlan("p")
        let (item, _) = kit.addItem("i", plans: [plan])
        let store = RateLimitedKeyStore(kit.gateway, calls: RateLimiter(ratePerSecond: 1000), keyWrites: RateLimiter(ratePerSecond: 1000),
                                        backoff: ThrottlingBackoff(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2)), logger: kit.logger)
        let rotator = APIKeyRotator(configuration: kit.configuration, store: store, table: kit.table, clock: kit.clock)
        do {
            _ = try await rotator.rotate(kit.rotateWork(item), logger: kit.logger)
            Issue.record("expected the throttle to win")
        } catch let error as APIKeyRotationError {
            #expect(error.code == .throttled)
            #expect(error.message.contains("APIGATEWAY_CALL_RATE"))
        }
    }

    @Test func atTheKeyLimitARotationWaitsAndSaysSo() async throws {
        let kit = RotationKit(keyLimit: 1)
        let plan = kit.gateway.addPlan("p")
        let (item, old) = kit.addItem("i", plans: [plan])
        do {
            _ = try await kit.rotator.rotate(kit.rotateWork(item), logger: kit.logger)
            Issue.record("expected the key limit")
        } catch let error as APIKeyRotationError {
            #expect(error.code == .keyLimitReached)
        }
        #expect(kit.table["i"]?.keyID == old)
    }
}
