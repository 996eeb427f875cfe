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
        var finished = false
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
        let ended = state.withLock { s -> (String, Duration)? in
            guard s.history.last?.name != phase else {
                s.detail = detail
                return nil
            }
            let previous = s.history.last.map { ($0.name, ContinuousClock.now - $0.started) }
            s.history.append((phase, .now))
            s.phase = phase
            s.detail = detail
            return previous
        }
        if interactive && !quiet, let (name, took) = ended {
            Console.errorRaw("\r\u{1B}[2K  done  \(name) (\(TextFormat.duration(took)))\n")
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
        let last = state.withLock { s -> (String, Duration)?? in
            defer { s.finished = true }
            return s.finished ? nil : .some(s.history.last.map { ($0.name, ContinuousClock.now - $0.started) })
        }
        guard interactive && !quiet, let last else { return }
        Console.errorRaw("\r\u{1B}[2K" + (last.map { "  done  \($0.0) (\(TextFormat.duration($0.1)))\n" } ?? ""))
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
        // Under the lock, so that nothing is drawn after `finish` cleared the line.
        state.withLock { s in
            guard !s.finished else { return }
            let spinner = ["|", "/", "-", "\\"][Int(elapsed / .milliseconds(500)) % 4]
            let line = "\(spinner) \(TextFormat.duration(elapsed).leftPadded(to: 6))  \(s.phase)\(s.detail.isEmpty ? "" : "  \(s.detail)")"
            Console.errorRaw("\r\u{1B}[2K" + String(line.prefix(max(20, Console.terminalWidth - 1))))
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
