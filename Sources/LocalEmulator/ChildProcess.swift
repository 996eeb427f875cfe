public import Foundation
import Synchronization

/// A child process whose stdin is a pipe this process holds open (the child sees EOF when we
/// exit or crash), whose stdout is read line by line, and whose stderr goes to a log file.
public final class ChildProcess: Sendable {
    /// The child's process id.
    public let pid: Int32
    /// Where the child's stderr is written.
    public let stderrLog: URL

    private let process: Mutex<Process?>
    private let stdinPipe: Pipe
    private let lines: LineReader

    /// Starts `executable` with `arguments`; `environment` replaces the inherited environment when given.
    public init(
        executable: URL,
        arguments: [String],
        environment: [String: String]? = nil,
        workingDirectory: URL? = nil,
        stderrLogName: String
    ) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let workingDirectory { process.currentDirectoryURL = workingDirectory }

        let log = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(stderrLogName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8)).log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            throw ChildProcessError.cannotCreateLog(path: log.path)
        }
        let stderrHandle = try FileHandle(forWritingTo: log)
        let stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = stderrHandle
        do {
            try process.run()
        } catch {
            throw ChildProcessError.cannotLaunch(executable: executable.path, reason: "\(error)")
        }
        try? stderrHandle.close()
        self.pid = process.processIdentifier
        self.stderrLog = log
        self.process = Mutex(process)
        self.stdinPipe = stdinPipe
        self.lines = LineReader(handle: stdoutPipe.fileHandleForReading)
        ChildProcessReaper.register(pid)
    }

    /// The next line the child writes to stdout, or nil once stdout is closed.
    /// Throws `ChildProcessError.timedOut` after `timeout`; the child is left running.
    public func nextLine(timeout: Duration) async throws -> String? {
        try await lines.next(timeout: timeout)
    }

    /// Whether the child is still running.
    public var isRunning: Bool {
        process.withLock { $0?.isRunning ?? false }
    }

    /// The last `maxBytes` of the child's stderr, for error messages.
    public func stderrTail(maxBytes: Int = 4000) -> String {
        guard let data = FileManager.default.contents(atPath: stderrLog.path) else { return "" }
        return String(decoding: data.suffix(maxBytes), as: UTF8.self)
    }

    /// Waits for the child to exit and returns its exit status (or terminating signal).
    public func waitForExit(timeout: Duration = .seconds(120)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while isRunning {
            guard ContinuousClock.now < deadline else { throw ChildProcessError.timedOut(after: timeout) }
            try await Task.sleep(for: .milliseconds(20))
        }
        ChildProcessReaper.unregister(pid)
        return process.withLock { $0?.terminationStatus ?? -1 }
    }

    /// Closes the child's stdin, so it reads EOF.
    public func closeStandardInput() {
        try? stdinPipe.fileHandleForWriting.close()
    }

    /// Closes the child's stdin, sends SIGTERM, and waits up to `grace` before SIGKILL.
    public func terminate(grace: Duration = .seconds(3)) async {
        try? stdinPipe.fileHandleForWriting.close()
        guard let running = process.withLock({ $0 }), running.isRunning else { return }
        running.terminate()
        let deadline = ContinuousClock.now + grace
        while running.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if running.isRunning { kill(pid, SIGKILL) }
        ChildProcessReaper.unregister(pid)
    }
}
