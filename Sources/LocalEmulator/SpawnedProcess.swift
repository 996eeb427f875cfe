package import SystemPackage
import Subprocess
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process run by swift-subprocess in a task of its own, so that its owner can keep it
/// running across calls: its pid from the start, its exit status once it has ended, and a stop
/// that asks (SIGTERM) before it kills. Waiting for it blocks no thread of the cooperative pool.
package final class SpawnedProcess: Sendable {
    /// Where the child's standard output goes.
    package enum Output: Sendable {
        /// Into a file; the descriptor is closed once the child has it.
        case file(FileDescriptor)
        /// To `line`, one line at a time (split at "\n", without it), then `end` once stdout is closed.
        case lines(line: @Sendable (String) -> Void, end: @Sendable () -> Void)
    }

    private final class State: Sendable {
        let processID = Mutex<Int32?>(nil)
        let exitStatus = Mutex<Int32?>(nil)
    }

    /// The child's process id.
    package let processID: Int32
    private let state: State
    private let execution: Task<Void, Never>

    private init(processID: Int32, state: State, execution: Task<Void, Never>) {
        self.processID = processID
        self.state = state
        self.execution = execution
    }

    /// Starts `executable` and returns once it has been spawned.
    ///
    /// - Parameters:
    ///   - environment: the child's whole environment; nil inherits ours.
    ///   - input, error: descriptors for the child's stdin and stderr, closed here once it has them.
    ///   - onExit: called with the exit status once the child has ended (after ``exitStatus`` is set).
    package static func start(
        executable: String,
        arguments: [String],
        environment: [String: String]?,
        workingDirectory: String? = nil,
        input: FileDescriptor,
        output: Output,
        error: FileDescriptor,
        onExit: @escaping @Sendable (Int32) -> Void = { _ in }
    ) async throws -> SpawnedProcess {
        let configuration = Configuration(
            executable: .path(FilePath(executable)),
            arguments: Arguments(arguments),
            environment: environment.map { .only($0) } ?? .inherit,
            workingDirectory: workingDirectory.map { FilePath($0) }
        )
        let state = State()
        let (spawns, spawned) = AsyncThrowingStream.makeStream(of: Int32.self)
        let execution = Task {
            let status: Int32
            do {
                status = try await execute(configuration, input: input, output: output, error: error) { pid in
                    state.processID.withLock { $0 = pid }
                    spawned.yield(pid)
                    spawned.finish()
                }
            } catch {
                spawned.finish(throwing: error)   // a no-op once it was spawned
                guard state.processID.withLock({ $0 }) != nil else { return }
                status = -1   // it ran, but could not be waited for
            }
            state.exitStatus.withLock { $0 = status }
            onExit(status)
        }
        var spawnedIDs = spawns.makeAsyncIterator()
        guard let processID = try await spawnedIDs.next() else {
            execution.cancel()   // we were cancelled while it started: swift-subprocess kills it
            throw CancellationError()
        }
        return SpawnedProcess(processID: processID, state: state, execution: execution)
    }

    private static func execute(
        _ configuration: Configuration,
        input: FileDescriptor,
        output: Output,
        error: FileDescriptor,
        spawned: (Int32) -> Void
    ) async throws -> Int32 {
        let input: FileDescriptorInput = .fileDescriptor(input, closeAfterSpawningProcess: true)
        let error: FileDescriptorOutput = .fileDescriptor(error, closeAfterSpawningProcess: true)
        switch output {
        case .file(let file):
            return try await Subprocess.run(
                configuration, input: input, output: .fileDescriptor(file, closeAfterSpawningProcess: true), error: error
            ) { execution in
                spawned(execution.processIdentifier.value)
            }.terminationStatus.statusCode
        case .lines(let line, let end):
            return try await Subprocess.run(configuration, input: input, output: .sequence, error: error) { execution in
                spawned(execution.processIdentifier.value)
                defer { end() }
                // Ends at EOF, or when swift-subprocess stops reading because the child exited while
                // a grandchild still holds its stdout: either way the exit status is still wanted.
                do {
                    for try await text in execution.standardOutput.strings(separatedBy: .unicodeScalarSequence(["\n"])) {
                        line(text)
                    }
                } catch {}
            }.terminationStatus.statusCode
        }
    }

    /// The exit status (or the signal that ended it), once the child has ended.
    package var exitStatus: Int32? { state.exitStatus.withLock { $0 } }

    /// Waits up to `timeout` for the child to end; nil when it is still running then.
    package func waitForExit(timeout: Duration) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let status = exitStatus { return status }
            guard ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Sends SIGTERM, waits up to `grace` for the child to end, then kills it; returns once it has
    /// ended and `onExit` has run. Nothing is sent to a child that has already ended.
    package func stop(grace: Duration) async {
        if exitStatus == nil {
            kill(processID, SIGTERM)
            let deadline = ContinuousClock.now + grace
            while exitStatus == nil, ContinuousClock.now < deadline, !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(10))
            }
            if exitStatus == nil { execution.cancel() }   // swift-subprocess ends it with SIGKILL
        }
        await execution.value
    }
}
