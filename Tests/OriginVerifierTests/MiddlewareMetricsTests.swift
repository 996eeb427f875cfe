import CoreMetrics
import Foundation
import Hummingbird
import HummingbirdTesting
import MetricsTestKit
import OriginVerifier
import OriginVerifierHummingbird
import Testing
import TestSupport

/// The middleware reports the verifier's counts through the swift-metrics backend the host
/// bootstrapped (here MetricsTestKit's `TestMetrics`), with no factory handed to the verifier.
///
/// `MetricsSystem.bootstrap` is once per process and every suite shares the process, so the backend
/// bootstrapped here routes to the `TestMetrics` of the task that makes a metric (a task-local):
/// verifiers of other tests, which make theirs elsewhere, report to nothing.
@Suite("Hummingbird middleware metrics", .timeLimit(.minutes(10)))
struct MiddlewareMetricsTests {
    /// A factory that hands out the current task's `TestMetrics` handlers, or no-op ones.
    struct RoutingMetricsFactory: MetricsFactory {
        @TaskLocal static var backend: TestMetrics?
        static let installed: Void = MetricsSystem.bootstrap(RoutingMetricsFactory())

        func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
            Self.backend?.makeCounter(label: label, dimensions: dimensions) ?? NOOPMetricsHandler.instance
        }
        func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
            Self.backend?.makeFloatingPointCounter(label: label, dimensions: dimensions) ?? NOOPMetricsHandler.instance
        }
        func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
            Self.backend?.makeMeter(label: label, dimensions: dimensions) ?? NOOPMetricsHandler.instance
        }
        func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
            Self.backend?.makeRecorder(label: label, dimensions: dimensions, aggregate: aggregate) ?? NOOPMetricsHandler.instance
        }
        func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
            Self.backend?.makeTimer(label: label, dimensions: dimensions) ?? NOOPMetricsHandler.instance
        }
        func destroyCounter(_ handler: any CounterHandler) {}
        func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
        func destroyMeter(_ handler: any MeterHandler) {}
        func destroyRecorder(_ handler: any RecorderHandler) {}
        func destroyTimer(_ handler: any TimerHandler) {}
    }

    @Test("a verifier made before the host's backend is in place reports allowed, denied and refreshes to it")
    func reportsThroughTheHostBackend() async throws {
        _ = RoutingMetricsFactory.installed
        let value = SecretFixture.randomValue()
        let fixture = try await SecretFixture.make(initial: value)
        do {
            // Made where the backend gives no-op handlers: a verifier that bound its counters now would report nothing.
            let verifier = fixture.verifier()
            let metrics = TestMetrics()
            try await RoutingMetricsFactory.$backend.withValue(metrics) {
                let router = Router()
                router.add(middleware: try OriginVerifierMiddleware(verifier: verifier))
                router.get("/") { _, _ in "ok" }
                try await Application(responder: router.buildResponder()).test(.router) { client in
                    try await client.execute(uri: "/", method: .get) { #expect($0.status == .forbidden) }
                    try await client.execute(uri: "/", method: .get, headers: [.init("x-origin-verify")!: value]) { #expect($0.status == .ok) }
                    try await client.execute(uri: "/", method: .get, headers: [.init("x-origin-verify")!: value]) { #expect($0.status == .ok) }
                    try await client.execute(uri: "/", method: .get, headers: [.init("x-origin-verify")!: "wrong"]) { #expect($0.status == .forbidden) }
                }
            }
            #expect(try metrics.expectCounter(VerifierMetrics.Name.allowed, [("Stage", "AWSCURRENT")]).totalValue == 2)
            #expect(try metrics.expectCounter(VerifierMetrics.Name.denied, [("Reason", "missingHeader")]).totalValue == 1)
            #expect(try metrics.expectCounter(VerifierMetrics.Name.denied, [("Reason", "unknownValue")]).totalValue == 1)
            let refreshes = try metrics.expectCounter(VerifierMetrics.Name.refreshes).totalValue
            #expect(refreshes >= 1 && Int(refreshes) == verifier.metrics.refreshes, "the backend sees what the verifier counted")
            #expect(Int(try metrics.expectCounter(VerifierMetrics.Name.secretValueReads).totalValue) == verifier.metrics.secretValueReads)
            let labels = metrics.counters.map(\.label)
            #expect(labels.allSatisfy { $0.hasPrefix("Verifier") }, "\(labels)")
            let dimensionValues = metrics.counters.flatMap(\.dimensions).map(\.1)
            #expect(!dimensionValues.contains(value), "never a value as a dimension")
        } catch {
            try await fixture.shutdown()
            throw error
        }
        try await fixture.shutdown()
    }
}
