public import Foundation
import Synchronization
import SystemPackage

/// A child process whose stdin is a pipe this process holds open (the child sees EOF when we
/// exit or crash), whose stdout is read line by line, and whose stderr goes to a log file.
/// Run by swift-subprocess: reading and waiting block no thread of the cooperative pool.
public final class ChildProcess: Sendable {
    /// The child's process id.
    public let pid: Int32
    /// Where the child's stderr is written.
    public let stderrLog: URL

    private let process: SpawnedProcess
    private let standardInput: Mutex<FileDescriptor?>
    private let lines: LineReader

    /// Starts `executable` with `arguments`; `environment` replaces the inherited environment when given.
    public init(
        executable: URL,
        arguments: [String],
        environment: [String: String]? = nil,
        workingDirectory: URL? = nil,
        stderrLogName: String
    ) async throws {
        let log = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(stderrLogName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8)).log")
        let stderrFile: FileDescriptor
        do {
            stderrFile = try FileDescriptor.open(FilePath(log.path), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite])
        } catch {
            throw ChildProcessError.cannotCreateLog(path: log.path)
        }
        let stdin = try FileDescriptor.pipe()
        // Only the child may hold the read end: no later child inherits the write end.
        _ = fcntl(stdin.writeEnd.rawValue, F_SETFD, FD_CLOEXEC)
        let lines = LineReader()
        let process: SpawnedProcess
        do {
            process = try await SpawnedProcess.start(
                executable: executable.path,
                arguments: arguments,
                environment: environment,
                workingDirectory: workingDirectory?.path,
                input: stdin.readEnd,
                output: .lines(line: lines.deliver, end: lines.finish),
                error: stderrFile
            )
        } catch {
            try? stdin.writeEnd.close()
            throw ChildProcessError.cannotLaunch(executable: executable.path, reason: "\(error)")
        }
        self.pid = process.processID
        self.process = process
        self.stderrLog = log
        self.standardInput = Mutex(stdin.writeEnd)
        self.lines = lines
        ChildProcessReaper.register(pid)
    }

    deinit {
        closeStandardInput()   // as a dropped pipe would: the child sees EOF
    }

    /// The next line the child writes to stdout, or nil once stdout is closed.
    /// Throws `ChildProcessError.timedOut` after `timeout`; the child is left running.
    public func nextLine(timeout: Duration) async throws -> String? {
        try await lines.next(timeout: timeout)
    }

    /// Whether the child is still running.
    public var isRunning: Bool { process.exitStatus == nil }

    /// The last `maxBytes` of the child's stderr, for error messages.
    public func stderrTail(maxBytes: Int = 4000) -> String {
        guard let data = FileManager.default.contents(atPath: stderrLog.path) else { return "" }
        return String(decoding: data.suffix(maxBytes), as: UTF8.self)
    }

    /// Waits for the child to exit and returns its exit status (or terminating signal).
    public func waitForExit(timeout: Duration = .seconds(120)) async throws -> Int32 {
        guard let status = try await process.waitForExit(timeout: timeout) else { throw ChildProcessError.timedOut(after: timeout) }
        ChildProcessReaper.unregister(pid)
        return status
    }

    /// Closes the child's stdin, so it reads EOF.
    public func closeStandardInput() {
        try? standardInput.withLock { descriptor in
            defer { descriptor = nil }
            try descriptor?.close()
        }
    }

    /// Closes the child's stdin, sends SIGTERM, and waits up to `grace` before SIGKILL.
    public func terminate(grace: Duration = .seconds(3)) async {
        closeStandardInput()
        await process.stop(grace: grace)
        ChildProcessReaper.unregister(pid)
    }
}
