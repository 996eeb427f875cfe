import Foundation
import Synchronization

/// The live timeline the demo prints: one line per event, stamped with the time since traffic
/// started, kept for the chart's markers.
final class DemoTimeline: Sendable {
    struct Event: Sendable {
        var elapsedMilliseconds: Int
        var label: String
        var detail: String
        var marker: Bool
    }

    let start: ContinuousClock.Instant
    let quiet: Bool
    private let events = Mutex<[Event]>([])

    init(start: ContinuousClock.Instant, quiet: Bool) {
        self.start = start
        self.quiet = quiet
    }

    var elapsedMilliseconds: Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed / .milliseconds(1))
    }

    /// Prints `label  detail` at the current time; `marker` events become lines on the chart.
    func record(_ label: String, _ detail: String, marker: Bool = false) {
        let event = Event(elapsedMilliseconds: elapsedMilliseconds, label: label, detail: detail, marker: marker)
        events.withLock { $0.append(event) }
        guard !quiet else { return }
        print("  \(Self.stamp(event.elapsedMilliseconds))  \(label.padding(toLength: 14, withPad: " ", startingAt: 0)) \(detail)")
    }

    var markers: [RotationChart.Marker] {
        events.withLock { $0.filter(\.marker).map { RotationChart.Marker(elapsedMilliseconds: $0.elapsedMilliseconds, label: $0.label) } }
    }

    func moment(of label: String) -> Int? { events.withLock { $0.first { $0.label == label }?.elapsedMilliseconds } }

    static func stamp(_ ms: Int) -> String {
        let text = "+\(ms / 1000).\((ms % 1000) / 100)s"
        return String(repeating: " ", count: max(0, 6 - text.count)) + text
    }
}
