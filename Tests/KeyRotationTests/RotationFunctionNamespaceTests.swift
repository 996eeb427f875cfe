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
        let function = try await RotationFunction.start(scenario, moto: kit.moto, extra: ["METRICS_NAMESPACE": "Team/KeyRotatorRotation"])
        let report: RuntimeAPIErrorReport?
        do {
            report = try await function.run([.createSecret], token: token)
        } catch {
            await function.stop()
            throw error
        }
        let stdout = function.lambda.standardOutput
        await function.stop()
        #expect(report == nil)
        let documents = try EMFDocument.all(in: stdout)
        #expect(!documents.isEmpty)
        #expect(EMFDocument.samples(RotationMetrics.Name.stepDuration, in: documents, where: ["Step": "createSecret", "Outcome": "Success"]) == 1)
        #expect(documents.allSatisfy { $0.namespace == "Team/KeyRotatorRotation" && $0.dimensions["Function"] == "cloudfront-rotation" })
    }
}
