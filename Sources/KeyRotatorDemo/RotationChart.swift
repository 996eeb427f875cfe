import AWSXML
import TrafficSimulation

/// An SVG chart of a demo run: accepted requests per second for each header fingerprint, rejected
/// requests in red, and the rotation's stage changes as labelled vertical lines.
struct RotationChart {
    struct Marker {
        var elapsedMilliseconds: Int
        var label: String
    }

    var title: String
    var samples: [TrafficGenerator.Sample]
    var markers: [Marker]
    var bucketMilliseconds = 500

    private static let palette = ["#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"]
    private let width = 960.0, height = 420.0, left = 60.0, right = 180.0, top = 40.0, bottom = 50.0

    func svg() -> String {
        let lastMs = max(samples.map(\.elapsedMilliseconds).max() ?? 0, markers.map(\.elapsedMilliseconds).max() ?? 0, 1000)
        let buckets = lastMs / bucketMilliseconds + 1
        var fingerprints: [String] = []
        for sample in samples where sample.accepted && !fingerprints.contains(sample.fingerprint) { fingerprints.append(sample.fingerprint) }
        var accepted = [String: [Int]]()
        var rejected = [Int](repeating: 0, count: buckets)
        for sample in samples {
            let bucket = sample.elapsedMilliseconds / bucketMilliseconds
            if sample.accepted {
                accepted[sample.fingerprint, default: [Int](repeating: 0, count: buckets)][bucket] += 1
            } else {
                rejected[bucket] += 1
            }
        }
        let perSecond = 1000.0 / Double(bucketMilliseconds)
        let peak = max(1.0, (accepted.values.flatMap { $0 } + rejected).map { Double($0) * perSecond }.max() ?? 1)
        let plotW = width - left - right, plotH = height - top - bottom
        func x(_ ms: Int) -> Double { left + plotW * Double(ms) / Double(lastMs) }
        func y(_ rate: Double) -> Double { top + plotH * (1 - rate / (peak * 1.1)) }

        var nodes: [XMLElement] = []
        nodes.append(XMLElement(name: "rect", attributes: attrs(["x": "0", "y": "0", "width": fmt(width), "height": fmt(height), "fill": "white"])))
        nodes.append(text(title, x: left, y: 24, size: 16, weight: "bold"))
        // Axes, with a label every few seconds.
        nodes.append(line(left, top + plotH, left + plotW, top + plotH, stroke: "#333"))
        nodes.append(line(left, top, left, top + plotH, stroke: "#333"))
        let stepSeconds = max(1, lastMs / 1000 / 10)
        for second in stride(from: 0, through: lastMs / 1000, by: stepSeconds) {
            nodes.append(text("\(second)s", x: x(second * 1000) - 8, y: top + plotH + 18, size: 11))
        }
        nodes.append(text("requests/s", x: 6, y: top - 8, size: 11))
        nodes.append(text(fmt(peak, digits: 0), x: left - 30, y: y(peak) + 4, size: 11))
        // Stage markers.
        for (index, marker) in markers.enumerated() {
            let mx = x(marker.elapsedMilliseconds)
            nodes.append(XMLElement(name: "line", attributes: attrs(["x1": fmt(mx), "y1": fmt(top), "x2": fmt(mx), "y2": fmt(top + plotH), "stroke": "#999", "stroke-dasharray": "4 3"])))
            nodes.append(text(marker.label, x: mx + 3, y: top + 12 + Double(index % 4) * 13, size: 10, fill: "#555"))
        }
        // One line per fingerprint, then rejections.
        for (index, fingerprint) in fingerprints.enumerated() {
            let color = Self.palette[index % Self.palette.count]
            let counts = accepted[fingerprint] ?? []
            nodes.append(polyline(counts.enumerated().map { (x($0.offset * bucketMilliseconds), y(Double($0.element) * perSecond)) }, stroke: color))
            nodes.append(line(left + plotW + 14, top + 10 + Double(index) * 18, left + plotW + 34, top + 10 + Double(index) * 18, stroke: color, width: 3))
            nodes.append(text("sha256:\(fingerprint)", x: left + plotW + 40, y: top + 14 + Double(index) * 18, size: 11))
        }
        let legendY = top + 10 + Double(fingerprints.count) * 18
        nodes.append(polyline(rejected.enumerated().map { (x($0.offset * bucketMilliseconds), y(Double($0.element) * perSecond)) }, stroke: "#d62728"))
        nodes.append(line(left + plotW + 14, legendY, left + plotW + 34, legendY, stroke: "#d62728", width: 3))
        nodes.append(text("rejected (\(rejected.reduce(0, +)))", x: left + plotW + 40, y: legendY + 4, size: 11))

        let root = XMLElement(name: "svg", attributes: attrs(["xmlns": "http://www.w3.org/2000/svg", "width": fmt(width), "height": fmt(height),
                                                               "viewBox": "0 0 \(fmt(width)) \(fmt(height))", "font-family": "sans-serif"]),
                              elements: nodes)
        return XMLDocument(root: root).xmlString
    }

    private func attrs(_ pairs: KeyValuePairs<String, String>) -> [XMLAttribute] { pairs.map { XMLAttribute(name: $0.key, value: $0.value) } }

    private func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1) -> XMLElement {
        XMLElement(name: "line", attributes: attrs(["x1": fmt(x1), "y1": fmt(y1), "x2": fmt(x2), "y2": fmt(y2), "stroke": stroke, "stroke-width": fmt(width)]))
    }

    private func polyline(_ points: [(Double, Double)], stroke: String) -> XMLElement {
        XMLElement(name: "polyline", attributes: attrs(["points": points.map { "\(fmt($0.0)),\(fmt($0.1))" }.joined(separator: " "),
                                                        "fill": "none", "stroke": stroke, "stroke-width": "2"]))
    }

    private func text(_ content: String, x: Double, y: Double, size: Int, weight: String = "normal", fill: String = "#222") -> XMLElement {
        XMLElement(name: "text", attributes: attrs(["x": fmt(x), "y": fmt(y), "font-size": "\(size)", "font-weight": weight, "fill": fill]), text: content)
    }

    private func fmt(_ value: Double, digits: Int = 1) -> String {
        let scale = digits == 0 ? 1.0 : 10.0
        let rounded = (value * scale).rounded() / scale
        return digits == 0 || rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
