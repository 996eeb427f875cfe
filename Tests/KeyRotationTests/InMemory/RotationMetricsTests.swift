import KeyRotation
import Synchronization
import Testing
import TestSupport

/// What a rotation reports through swift-metrics, read back as the EMF documents the
/// `cloudfront-rotation` function writes: each step's duration and outcome, the distributions
/// updated, and the two waits; a failed step counted by step, with its error code as the outcome.
@Suite(.timeLimit(.minutes(1))) struct RotationMetricsTests {
    typealias Name = RotationMetrics.Name

    @Test func aRotationReportsEveryStepItsWaitsAndTheDistributionsItUpdated() async throws {
        let capture = EMFCapture(defaultDimensions: [("Function", "cloudfront-rotation")])
        let harness = RotationStepTests.Harness(verifierCacheTTL: .milliseconds(1500), metrics: RotationMetrics(factory: capture.factory))
        harness.store.stagePending(token: "t1")
        // setSecret reads the pending version as stored the instant before, so it waits (almost) the
        // whole 1.5 s however long the steps before it took under load.
        harness.store.state.withLock { $0.changesReadAsJustMade = true }
        for step in RotationStep.allCases { try await harness.run(step, token: "t1") }
        let documents = try capture.flushDocuments()

        for step in RotationStep.allCases {
            #expect(EMFDocument.samples(Name.stepDuration, in: documents, where: ["Step": step.rawValue, "Outcome": "Success"]) == 1, "\(step)")
        }
        #expect(EMFDocument.total(Name.stepFailed, in: documents) == 0)
        #expect(EMFDocument.total(Name.distributionsUpdated, in: documents) == 1)
        let verifierWait = documents.compactMap { $0.values[Name.verifierWait] }.first
        guard case .statistics(_, _, let maximum, _, let count, _) = verifierWait else {
            Issue.record("no \(Name.verifierWait) statistic set")
            return
        }
        #expect(count == 1)
        // What is left of 1.5 s after the read that dated the version: only the few statements between
        // that read and the computation of the wait come off it.
        #expect(maximum > 0 && maximum <= 1500, "setSecret waited for the verifiers (1.5 s after the version was read), reported in milliseconds: \(maximum)")
        #expect(EMFDocument.samples(Name.deployedWait, in: documents) == 1)
        #expect(documents.allSatisfy { $0.dimensions["Function"] == "cloudfront-rotation" && $0.namespace == "KeyRotatorTest" })
        #expect(documents.allSatisfy { $0.units[Name.stepDuration] ?? "Milliseconds" == "Milliseconds" })
    }

    @Test func aFailedStepIsCountedByStepWithItsErrorCodeAsTheOutcome() async throws {
        let capture = EMFCapture()
        let harness = RotationStepTests.Harness(metrics: RotationMetrics(factory: capture.factory))
        #expect(await harness.failure(.createSecret, token: "no-such-version") == .unknownVersion)
        harness.store.stagePending(token: "t1")
        try await harness.run(.createSecret, token: "t1")
        #expect(await harness.failure(.finishSecret, token: "t1") == .setSecretIncomplete)
        let documents = try capture.flushDocuments()

        #expect(EMFDocument.total(Name.stepFailed, in: documents) == 2)
        #expect(EMFDocument.total(Name.stepFailed, in: documents, where: ["Step": "createSecret"]) == 1)
        #expect(EMFDocument.total(Name.stepFailed, in: documents, where: ["Step": "finishSecret"]) == 1)
        #expect(EMFDocument.samples(Name.stepDuration, in: documents, where: ["Step": "createSecret", "Outcome": "UnknownVersion"]) == 1)
        #expect(EMFDocument.samples(Name.stepDuration, in: documents, where: ["Step": "createSecret", "Outcome": "Success"]) == 1)
        #expect(EMFDocument.samples(Name.stepDuration, in: documents, where: ["Step": "finishSecret", "Outcome": "SetSecretIncomplete"]) == 1)
        #expect(EMFDocument.samples(Name.deployedWait, in: documents) == 0, "finishSecret stopped before waiting")
    }
}
