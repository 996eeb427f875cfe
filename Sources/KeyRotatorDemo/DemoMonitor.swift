import AWSCore
import KeyMaterial
import TrafficSimulation

/// Prints, while traffic flows, each edge's switch to a new value and a per-second tally.
struct DemoMonitor {
    let fleet: EdgeFleet
    let traffic: TrafficGenerator
    let noGraceTraffic: TrafficGenerator?
    let timeline: DemoTimeline

    func run() async {
        var sent = (0..<fleet.lags.count).map { fleet.value(edge: $0).map(fingerprint) }
        var lastTally = 0
        while !Task.isCancelled {
            for edge in 0..<fleet.lags.count {
                let now = fleet.value(edge: edge).map(fingerprint)
                if now != sent[edge] {
                    sent[edge] = now
                    let allSame = Set(sent).count == 1
                    timeline.record(allSame ? "all edges" : "edge \(edge + 1)", "edge \(edge + 1) now sends sha256:\(now ?? "?")\(allSame ? ": every edge has switched" : "")", marker: allSame)
                }
            }
            let elapsed = timeline.elapsedMilliseconds
            if elapsed / 1000 > lastTally {
                lastTally = elapsed / 1000
                let window = traffic.results.filter { $0.elapsedMilliseconds > elapsed - 1000 }
                var line = "\(window.count) req/s, accepted \(window.filter(\.accepted).count), rejected \(window.filter(\.rejected).count)"
                if let noGraceTraffic {
                    let noGraceWindow = noGraceTraffic.results.filter { $0.elapsedMilliseconds > elapsed - 1000 }
                    line += "  | no-grace origin: rejected \(noGraceWindow.filter(\.rejected).count)"
                }
                line += "  | edges: " + sent.map { $0 ?? "?" }.joined(separator: " ")
                timeline.record("traffic", line)
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}
