import APIKeyRotation
import Foundation
import LocalEmulator
import Testing
import TestSupport

/// The API-key alarm on failed work reads the metric name and the dimension set the code writes
/// (a failed rotation's EMF document, as `apikey-rotate` writes it), in the namespace the
/// functions are given; the other alarms read AWS's own metrics of this stack's resources.
@Suite(.timeLimit(.minutes(10))) struct TemplateAlarmTests {
    static let far = ContinuousClock.now + .seconds(600)

    static func transformed(_ parameters: [String]) async throws -> [String: [String: Any]] {
        let root = try MotoEmulator.repositoryRoot(from: #filePath)
        let result = try await BuiltProduct.Running(executable: root.appendingPathComponent(".venv/bin/python").path,
                                                    arguments: [root.appendingPathComponent("scripts/sam_translate.py").path,
                                                                root.appendingPathComponent("deploy/template.yaml").path] + parameters,
                                                    environment: ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()]).wait(timeout: .seconds(120))
        try #require(result.exitCode == 0, "aws-sam-translator: \(result.stderr)")
        let template = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return try #require(template["Resources"] as? [String: [String: Any]])
    }

    @Test func theKeyWorkAlarmWatchesTheMetricTheCodeEmits() async throws {
        let resources = try await Self.transformed(["DeployApiKeyFlow=true"])
        let properties = try #require(resources["KeyWorkFailedAlarm"]?["Properties"] as? [String: Any])
        let expression = try #require((properties["Metrics"] as? [[String: Any]])?.compactMap { ($0["Expression"] as? [String: Any])?["Fn::Sub"] as? String }.first)
        let metric = try #require(expression.range(of: "SUM(").flatMap { start in expression[start.upperBound...].split(separator: ")").first.map(String.init) })
        let schema = try #require(expression.range(of: "SCHEMA(").flatMap { start in expression[start.upperBound...].split(separator: ")").first })
        let parts = schema.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(parts.first == #""${MetricsNamespace}""#)

        // A rotation that fails, as in APIKeyMetricsTests, written as apikey-rotate writes it.
        let capture = EMFCapture(defaultDimensions: [("Function", "apikey-rotate")])
        var kit = RotationKit(indexed: true)
        kit.metrics = APIKeyMetrics(factory: capture.factory)
        let plan = kit.gateway.addPlan("p")
        kit.addItem("fresh", plans: [plan], ageDays: 1)
        let stale = WorkItem(action: .rotate, itemID: "fresh", keyID: "not-its-key", usagePlanID: plan)
        await #expect(throws: APIKeyRotationError.self) { try await kit.rotator.perform(stale, logger: kit.logger) }
        let documents = try capture.flushDocuments().filter { $0.values[APIKeyMetrics.Name.failed] != nil }
        try #require(!documents.isEmpty, "a failed rotation writes \(APIKeyMetrics.Name.failed)")
        #expect(metric == APIKeyMetrics.Name.failed)
        for document in documents {
            #expect(document.dimensionSets.map { Set($0) } == [Set(parts.dropFirst())], "the alarm's SCHEMA has the document's dimensions: \(document.dimensionSets)")
        }
        for function in ["SweepFunction", "KeyRotateFunction"] {
            let variables = ((resources[function]?["Properties"] as? [String: Any])?["Environment"] as? [String: Any])?["Variables"] as? [String: Any]
            #expect(variables?["METRICS_NAMESPACE"] as? [String: String] == ["Ref": "MetricsNamespace"], "\(function) writes where the alarm reads")
        }

        // AWS's metrics: the functions' Errors, the dead-letter queue's depth.
        let dlq = resources["DeadLetterQueueAlarm"]?["Properties"] as? [String: Any]
        #expect(dlq?["Namespace"] as? String == "AWS/SQS" && dlq?["MetricName"] as? String == "ApproximateNumberOfMessagesVisible")
        #expect(((dlq?["Dimensions"] as? [[String: Any]])?.first?["Value"] as? [String: [String]]) == ["Fn::GetAtt": ["RotationDeadLetterQueue", "QueueName"]])
        let errors = (resources["KeyFunctionErrorsAlarm"]?["Properties"] as? [String: Any])?["Metrics"] as? [[String: Any]] ?? []
        let watched = errors.compactMap { (($0["MetricStat"] as? [String: Any])?["Metric"] as? [String: Any]) }
        #expect(watched.allSatisfy { $0["Namespace"] as? String == "AWS/Lambda" && $0["MetricName"] as? String == "Errors" })
        #expect(Set(watched.compactMap { (($0["Dimensions"] as? [[String: Any]])?.first?["Value"] as? [String: String])?["Ref"] }) == ["SweepFunction", "KeyRotateFunction"])
    }
}
