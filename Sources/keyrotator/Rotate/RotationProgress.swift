import Foundation
import Synchronization

/// Shows a rotation's progress on stderr: one line redrawn in place with the elapsed time on a
/// terminal, plain timestamped lines otherwise (logs, CI, pipes). Never shows a value.
final class RotationProgress: Sendable {
    private struct State {
        var phase = "starting"
        var detail = ""
        var lastLine = ""
        var history: [(name: String, started: ContinuousClock.Instant)] = []
    }

    private let started = ContinuousClock.now
    private let interactive: Bool
    private let quiet: Bool
    private let state = Mutex(State())
    private let ticker = Mutex<Task<Void, Never>?>(nil)

    init(interactive: Bool = Console.stderrIsTerminal, quiet: Bool = false) {
        self.interactive = interactive
        self.quiet = quiet
        if interactive && !quiet {
            let task = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(500))
                    self?.redraw()
                }
            }
            ticker.withLock { $0 = task }
        }
    }

    var elapsed: Duration { ContinuousClock.now - started }

    /// A new phase (a rotation step, or what the follower sees the service doing).
    func phase(_ phase: String, detail: String = "") {
        state.withLock { s in
            if s.history.last?.name != phase { s.history.append((phase, .now)) }
            s.phase = phase
            s.detail = detail
        }
        show()
    }

    /// Each phase seen so far and how long it lasted (the last one until now).
    func phases() -> [RotationReport.Phase] {
        let history = state.withLock { $0.history }
        let now = ContinuousClock.now
        return history.indices.map { i in
            let end = i + 1 < history.count ? history[i + 1].started : now
            return RotationReport.Phase(name: history[i].name, seconds: (end - history[i].started).seconds)
        }
    }

    /// More about the current phase (e.g. which distributions are still InProgress).
    func detail(_ detail: String) {
        state.withLock { $0.detail = detail }
        show()
    }

    /// Stops redrawing and clears the progress line.
    func finish() {
        ticker.withLock { $0?.cancel(); $0 = nil }
        if interactive && !quiet { Console.errorRaw("\r\u{1B}[2K") }
    }

    private func show() {
        guard !quiet else { return }
        if interactive { return redraw() }
        let line = state.withLock { s -> String? in
            let text = s.detail.isEmpty ? s.phase : "\(s.phase): \(s.detail)"
            guard text != s.lastLine else { return nil }
            s.lastLine = text
            return text
        }
        if let line { Console.error("[\(TextFormat.duration(elapsed).leftPadded(to: 6))] \(line)") }
    }

    private func redraw() {
        let (phase, detail) = state.withLock { ($0.phase, $0.detail) }
        let spinner = ["|", "/", "-", "\\"][Int(elapsed.components.seconds * 2 + elapsed.components.attoseconds / 500_000_000_000_000_000) % 4]
        Console.errorRaw("\r\u{1B}[2K\(spinner) \(TextFormat.duration(elapsed).leftPadded(to: 6))  \(phase)\(detail.isEmpty ? "" : "  \(detail)")")
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
