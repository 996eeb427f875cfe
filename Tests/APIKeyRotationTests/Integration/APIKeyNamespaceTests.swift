import APIKeyRotation
import Foundation
import LocalEmulator
import Testing
import TestSupport

/// METRICS_NAMESPACE reaches the API-key sweep's EMF documents (the other tests use the default).
@Suite("apikey-sweep METRICS_NAMESPACE", .timeLimit(.minutes(10)))
struct APIKeyNamespaceTests {
    @Test("the sweep writes its documents in METRICS_NAMESPACE")
    func sweepHonoursTheNamespace() async throws {
        let moto = try await MotoServer.shared()
        let scenario = try await APIKeyScenario.make(moto: moto, itemCount: 1)
        let (outcome, stdout) = try await RuntimeAPIEmulator.with(handler: "apikey-sweep",
                                                                  environment: scenario.environment(extra: ["METRICS_NAMESPACE": "Team/KeyRotatorKeys"])) { lambda in
            (try await lambda.invoke(RuntimeAPIInvocation(event: Array("{}".utf8), timeout: .seconds(900)), timeout: .seconds(300)), lambda.standardOutput)
        }
        #expect(outcome.responseText != nil, "\(outcome)")
        let documents = try EMFDocument.all(in: stdout)
        #expect(EMFDocument.total(APIKeyMetrics.Name.itemsDue, in: documents) == 1)
        #expect(!documents.isEmpty && documents.allSatisfy { $0.namespace == "Team/KeyRotatorKeys" && $0.dimensions["Function"] == "apikey-sweep" })
    }
}
