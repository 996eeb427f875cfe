import Foundation
import Synchronization

/// Reads lines from a pipe on a dedicated thread, so blocking reads never occupy the cooperative pool.
final class LineReader: Sendable {
    private struct State {
        var buffered: [String] = []
        var closed = false
        var waiter: (id: UUID, continuation: CheckedContinuation<String?, any Error>)?
        var expired: Set<UUID> = []
    }

    private let state = Mutex(State())

    init(handle: FileHandle) {
        let thread = Thread { [self] in
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    deliver(line)
                }
            }
            finish()
        }
        thread.name = "ChildProcess.LineReader"
        thread.start()
    }

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

    private func deliver(_ line: String) {
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

    private func finish() {
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
