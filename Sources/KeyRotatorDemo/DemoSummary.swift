import Foundation
import TrafficSimulation

/// What the demo reports at the end, as a table or as JSON (`--json`, and `summary.json`).
struct DemoSummary: Codable, Sendable {
    struct OriginResult: Codable, Sendable {
        var name: String
        var requests: Int
        var accepted: Int
        var rejected: Int
        /// Requests that got no answer or a server error.
        var failed: Int
        /// Accepted requests per header fingerprint.
        var acceptedByFingerprint: [String: Int]
    }

    var rotationCompleted: Bool
    var rotationSeconds: Double?
    var previousFingerprint: String
    var currentFingerprint: String?
    var edges: Int
    var maxLagSeconds: Double
    var requestsPerSecond: Int
    var origins: [OriginResult]
    var chartPath: String?
    var error: String?

    /// The KeyRotator origin's rejections (the number that must be 0).
    var rejected: Int { origins.first?.rejected ?? 0 }

    static func result(name: String, samples: [TrafficGenerator.Sample]) -> OriginResult {
        var byFingerprint: [String: Int] = [:]
        for sample in samples where sample.accepted { byFingerprint[sample.fingerprint, default: 0] += 1 }
        return OriginResult(name: name, requests: samples.count, accepted: samples.filter(\.accepted).count,
                            rejected: samples.filter(\.rejected).count,
                            failed: samples.filter { !$0.accepted && !$0.rejected }.count, acceptedByFingerprint: byFingerprint)
    }

    /// The summary table.
    func table() -> String {
        let nameWidth = 22
        let columnWidth = max(22, (origins.map(\.name.count).max() ?? 0) + 2)
        func row(_ label: String, _ values: [String]) -> String {
            label.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + values.map { String(repeating: " ", count: max(0, columnWidth - $0.count)) + $0 }.joined()
        }
        var lines = [row("", origins.map(\.name))]
        lines.append(row("requests sent", origins.map { "\($0.requests)" }))
        lines.append(row("accepted", origins.map { "\($0.accepted)" }))
        lines.append(row("rejected", origins.map { "\($0.rejected)" }))
        if origins.contains(where: { $0.failed > 0 }) { lines.append(row("no answer / 5xx", origins.map { "\($0.failed)" })) }
        func info(_ label: String, _ value: String) -> String { label.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + value }
        lines.append("")
        lines.append(info("rotation", rotationCompleted ? "completed in \(rotationSeconds.map(format1) ?? "?")s" : "NOT completed\(error.map { ": \($0)" } ?? "")"))
        lines.append(info("header value", "sha256:\(previousFingerprint) -> sha256:\(currentFingerprint ?? "?")"))
        lines.append(info("edges", "\(edges), lagging up to \(format1(maxLagSeconds))s behind the distribution"))
        if let chartPath { lines.append(info("chart", chartPath)) }
        return lines.joined(separator: "\n")
    }
}

func format1(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(abs(tenths % 10))"
}
