import Foundation
import KeyRotation
import LocalEmulator
import Testing
import TestSupport

/// METRICS_NAMESPACE reaches the rotation function's EMF documents (the other tests use the default).
@Suite("cloudfront-rotation METRICS_NAMESPACE", .timeLimit(.minutes(10)))
struct RotationFunctionNamespaceTests {
    @Test("the rotation function writes its documents in METRICS_NAMESPACE")
    func rotationFunctionHonoursTheNamespace() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup, distributions: 1)
        let token = try await scenario.startRotation(kit.setup)
        let (report, stdout) = try await RotationFunction.with(scenario, moto: kit.moto, extra: ["METRICS_NAMESPACE": "Team/KeyRotatorRotation"]) { function in
            (try await function.run([.createSecret], token: token), function.lambda.standardOutput)
        }
        #expect(report == nil)
        let documents = try EMFDocument.all(in: stdout)
        #expect(!documents.isEmpty)
        #expect(EMFDocument.samples(RotationMetrics.Name.stepDuration, in: documents, where: ["Step": "createSecret", "Outcome": "Success"]) == 1)
        #expect(documents.allSatisfy { $0.namespace == "Team/KeyRotatorRotation" && $0.dimensions["Function"] == "cloudfront-rotation" })
    }
}
