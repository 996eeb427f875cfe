import Foundation
import Synchronization

/// The child's stdout lines as they arrive, handed out one at a time to ``ChildProcess/nextLine(timeout:)``.
final class LineReader: Sendable {
    private struct State {
        var buffered: [String] = []
        var closed = false
        var waiter: (id: UUID, continuation: CheckedContinuation<String?, any Error>)?
        var expired: Set<UUID> = []
    }

    private let state = Mutex(State())

    func next(timeout: Duration) async throws -> String? {
        let id = UUID()
        let timer = Task {
            try await Task.sleep(for: timeout)
            fail(id: id, ChildProcessError.timedOut(after: timeout))
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            let immediate: Result<String?, ChildProcessError>? = state.withLock { state in
                if !state.buffered.isEmpty { return .success(state.buffered.removeFirst()) }
                if state.closed { return .success(nil) }
                if state.expired.remove(id) != nil { return .failure(.timedOut(after: timeout)) }
                state.waiter = (id, continuation)
                return nil
            }
            if let immediate { continuation.resume(with: immediate) }
        }
    }

    /// A line the child wrote (without its "\n").
    func deliver(_ line: String) {
        let waiter = state.withLock { state in
            guard let waiter = state.waiter else {
                state.buffered.append(line)
                return nil as CheckedContinuation<String?, any Error>?
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume(returning: line)
    }

    /// The child's stdout is closed: no more lines.
    func finish() {
        let waiter = state.withLock { state in
            state.closed = true
            defer { state.waiter = nil }
            return state.waiter?.continuation
        }
        waiter?.resume(returning: nil)
    }

    private func fail(id: UUID, _ error: any Error) {
        let waiter = state.withLock { state in
            guard let waiter = state.waiter, waiter.id == id else {
                state.expired.insert(id)
                return nil as CheckedContinuation<String?, any Error>?
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume(throwing: error)
    }
}
