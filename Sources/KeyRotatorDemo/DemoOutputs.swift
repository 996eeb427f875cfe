import Foundation
import TrafficSimulation

/// What a demo run leaves in `--output-dir`: the chart of accepted requests by header fingerprint
/// (and, with `--no-grace`, the same chart for the no-grace origin) and `summary.json`.
struct DemoOutputs {
    let directory: URL
    let lag: Double

    /// Writes the files; returns the main chart's path.
    func write(_ summary: DemoSummary, traffic: TrafficGenerator, noGraceTraffic: TrafficGenerator?, timeline: DemoTimeline) throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let chart = RotationChart(title: "KeyRotator: accepted requests by header fingerprint during a rotation (edge lag up to \(format1(lag))s)",
                                  samples: traffic.results, markers: timeline.markers)
        let chartURL = directory.appendingPathComponent("rotation.svg")
        try chart.svg().write(to: chartURL, atomically: true, encoding: .utf8)
        if let noGraceTraffic {
            let noGraceChart = RotationChart(title: "Built like amazon-api-gateway-secure-authorizer: the same traffic, no grace for AWSPREVIOUS",
                                             samples: noGraceTraffic.results, markers: timeline.markers)
            try noGraceChart.svg().write(to: directory.appendingPathComponent("rotation-no-grace.svg"), atomically: true, encoding: .utf8)
        }
        var written = summary
        written.chartPath = chartURL.path
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(written).write(to: directory.appendingPathComponent("summary.json"))
        return chartURL.path
    }
}
