import APIKeyRotation
import Foundation
import Testing
import TestSupport

/// What the API-key functions report through swift-metrics, read back as the EMF documents
/// `apikey-sweep` and `apikey-rotate` write: a sweep's counts and the key headroom, rotations,
/// retirements, failures by action, and throttled calls.
@Suite(.timeLimit(.minutes(1))) struct APIKeyMetricsTests {
    typealias Name = APIKeyMetrics.Name
    static let far = ContinuousClock.now + .seconds(600)

    @Test func sweepsRotationsRetirementsAndFailuresAreCounted() async throws {
        let capture = EMFCapture(defaultDimensions: [("Function", "apikey-rotate")])
        var kit = RotationKit(indexed: true)
        kit.metrics = APIKeyMetrics(factory: capture.factory)
        let plan = kit.gateway.addPlan("p")
        for index in 0..<3 { kit.addItem("due\(index)", plans: [plan]) }
        kit.addItem("fresh", plans: [plan], ageDays: 1)

        let sweep = try await kit.sweeper.sweep(deadline: Self.far, logger: kit.logger)
        var documents = try capture.flushDocuments()
        #expect(EMFDocument.total(Name.itemsRead, in: documents) == Double(sweep.read))
        #expect(EMFDocument.total(Name.itemsDue, in: documents) == 3)
        #expect(EMFDocument.total(Name.itemsQueued, in: documents) == 3)
        #expect(EMFDocument.total(Name.itemsRetiring, in: documents) == 0)
        #expect(sweep.keyHeadroom > 0)
        #expect(EMFDocument.total(Name.keyHeadroom, in: documents) == Double(sweep.keyHeadroom))

        let work = kit.queue.drain()
        for unit in work { _ = try await kit.rotator.perform(unit, logger: kit.logger) }
        // A redelivery is not a second rotation; a stale event is a failure of its action.
        _ = try await kit.rotator.perform(work[0], logger: kit.logger)
        let stale = WorkItem(action: .rotate, itemID: "fresh", keyID: "not-its-key", usagePlanID: plan)
        await #expect(throws: APIKeyRotationError.self) { try await kit.rotator.perform(stale, logger: kit.logger) }
        documents = try capture.flushDocuments()
        #expect(EMFDocument.total(Name.rotated, in: documents) == 3)
        #expect(EMFDocument.total(Name.failed, in: documents, where: ["Action": "rotate"]) == 1)
        #expect(EMFDocument.total(Name.retired, in: documents) == 0)

        kit.clock.advance(hours: 25)
        _ = try await kit.sweeper.sweep(deadline: Self.far, logger: kit.logger)
        for unit in kit.queue.drain() { _ = try await kit.rotator.perform(unit, logger: kit.logger) }
        documents = try capture.flushDocuments()
        #expect(EMFDocument.total(Name.itemsRetiring, in: documents) == 3)
        #expect(EMFDocument.total(Name.retired, in: documents) == 3)
        #expect(documents.allSatisfy { $0.dimensions["Function"] == "apikey-rotate" })
        #expect(!documents.contains { document in kit.allValues.contains { document.line.contains($0) } }, "no key value in a document")
    }

    @Test func aDryRunReportsNothing() async throws {
        let capture = EMFCapture()
        var kit = RotationKit()
        kit.metrics = APIKeyMetrics(factory: capture.factory)
        kit.addItem("due", plans: [kit.gateway.addPlan("p")])
        _ = try await kit.sweeper.sweep(deadline: Self.far, dryRun: true, logger: kit.logger)
        #expect(try capture.flushDocuments().isEmpty)
    }

    @Test func throttledCallsAreCounted() async throws {
        let capture = EMFCapture()
        let throttle = APIGatewayThrottle(callRate: 200, callBurst: 2, keyWriteRate: 50, keyWriteBurst: 1)
        let kit = RotationKit(throttle: throttle)
        let plan = kit.gateway.addPlan("p")
        let items = (0..<8).map { kit.addItem("i\($0)", plans: [plan]).item }
        let store = RateLimitedKeyStore(kit.gateway, calls: RateLimiter(ratePerSecond: 10_000, burst: 100), keyWrites: RateLimiter(ratePerSecond: 10_000, burst: 100),
                                        backoff: ThrottlingBackoff(maxAttempts: 50, baseDelay: .milliseconds(5), maxDelay: .milliseconds(50)),
                                        metrics: APIKeyMetrics(factory: capture.factory), logger: kit.logger)
        let rotator = APIKeyRotator(configuration: kit.configuration, store: store, table: kit.table, clock: kit.clock)
        let logger = kit.logger
        try await withThrowingTaskGroup(of: Void.self) { group in
            for item in items { group.addTask { _ = try await rotator.rotate(kit.rotateWork(item), logger: logger) } }
            try await group.waitForAll()
        }
        #expect(throttle.throttledCount > 0, "the stand-in did throttle")
        #expect(EMFDocument.total(Name.throttled, in: try capture.flushDocuments()) == Double(throttle.throttledCount))
    }
}
