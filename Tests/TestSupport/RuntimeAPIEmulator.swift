import Foundation
import Synchronization

/// Runs the real `bootstrap` executable against a ``RuntimeAPIServer``, as Lambda would: feeds it
/// invocations, reads its responses, errors and init errors, and captures its stdout/stderr.
///
/// ```swift
/// let outcome = try await RuntimeAPIEmulator.with(handler: "echo") { lambda in
///     try await lambda.invoke(json: #"{"message":"hi"}"#)
/// }   // the process is stopped and the server closed before `with` returns
/// ```
public final class RuntimeAPIEmulator: Sendable {
    public let server: RuntimeAPIServer
    /// The executable that runs.
    public let executable: String
    /// The bootstrap's process id.
    public let processID: Int32
    /// When the process was started.
    public let startedAt: ContinuousClock.Instant

    private let process: ProcessBox
    private let outputDirectory: URL
    private let exit: ExitStatusBox

    /// Starts `bootstrap` with `_HANDLER` = `handler` (nil leaves it unset).
    ///
    /// - Parameters:
    ///   - environment: added to the child's environment, which otherwise holds only `PATH`,
    ///     `AWS_LAMBDA_RUNTIME_API`, `_HANDLER` and the usual Lambda function variables (no AWS
    ///     credentials from the test's own environment leak in).
    ///   - executable: the binary to run; default: `KEYROTATOR_BOOTSTRAP`, else `bootstrap` beside the
    ///     test bundle (the debug build of this package).
    ///   - arguments: arguments for the executable (e.g. a script run by an interpreter).
    public static func start(
        handler: String?,
        environment: [String: String] = [:],
        executable: String? = nil,
        arguments: [String] = []
    ) async throws -> RuntimeAPIEmulator {
        let path = try executable ?? locateBootstrap()
        let server = try await RuntimeAPIServer.start()
        do {
            return try RuntimeAPIEmulator(server: server, executable: path, arguments: arguments, handler: handler, environment: environment)
        } catch {
            await server.stop()
            throw error
        }
    }

    private init(server: RuntimeAPIServer, executable: String, arguments: [String], handler: String?, environment: [String: String]) throws {
        self.server = server
        self.executable = executable
        outputDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("runtime-api-emulator-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        let stdoutURL = outputDirectory.appendingPathComponent("stdout")
        let stderrURL = outputDirectory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)

        var childEnvironment: [String: String] = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "AWS_LAMBDA_RUNTIME_API": server.endpoint,
            "AWS_LAMBDA_FUNCTION_NAME": "keyrotator-test",
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
            "LAMBDA_TASK_ROOT": (executable as NSString).deletingLastPathComponent,
        ]
        if let handler { childEnvironment["_HANDLER"] = handler }
        childEnvironment.merge(environment) { _, new in new }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = childEnvironment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        let exit = ExitStatusBox()
        self.exit = exit
        let stdoutPath = stdoutURL.path
        let stderrPath = stderrURL.path
        process.terminationHandler = { process in
            let status = process.terminationStatus
            exit.status.withLock { $0 = status }
            server.failPending(
                with: RuntimeAPIEmulatorError.processExited(
                    status: status,
                    standardError: Self.read(stderrPath),
                    standardOutput: Self.read(stdoutPath)
                )
            )
        }
        startedAt = .now
        try process.run()
        processID = process.processIdentifier
        self.process = ProcessBox(process)
    }

    /// Queues `invocation` and waits for the bootstrap's answer.
    public func invoke(_ invocation: RuntimeAPIInvocation, timeout: Duration = .seconds(30)) async throws -> RuntimeAPIOutcome {
        try await server.invoke(invocation, timeout: timeout)
    }

    /// Queues an invocation whose event is `json` and waits for the answer.
    public func invoke(json: String, timeout: Duration = .seconds(30)) async throws -> RuntimeAPIOutcome {
        try await server.invoke(RuntimeAPIInvocation(json: json), timeout: timeout)
    }

    /// Waits for the bootstrap's first init error.
    public func initError(timeout: Duration = .seconds(30)) async throws -> RuntimeAPIErrorReport {
        do {
            return try await server.initError(timeout: timeout)
        } catch RuntimeAPIEmulatorError.processExited {
            // The report may have raced the exit notification.
            if let report = server.initErrors.first { return report }
            throw RuntimeAPIEmulatorError.processExited(status: exitStatus ?? -1, standardError: standardError, standardOutput: standardOutput)
        }
    }

    /// Waits until the bootstrap exits and returns its exit status.
    public func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = exitStatus { return status }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw RuntimeAPIEmulatorError.timedOut(what: "bootstrap to exit", after: timeout)
    }

    /// The exit status, once the process has exited.
    public var exitStatus: Int32? { exit.status.withLock { $0 } }

    /// Everything the bootstrap wrote to stdout so far (its log lines).
    public var standardOutput: String { Self.read(outputDirectory.appendingPathComponent("stdout").path) }

    /// Everything the bootstrap wrote to stderr so far.
    public var standardError: String { Self.read(outputDirectory.appendingPathComponent("stderr").path) }

    /// The stdout lines.
    public var standardOutputLines: [String] {
        standardOutput.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    /// Peak resident set size of the running process in KiB (`VmHWM`), nil once it has exited.
    public func peakResidentKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(processID)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.dropFirst("VmHWM:".count).split(separator: " ").first ?? "")
        }
        return nil
    }

    /// Kills the bootstrap (SIGTERM, then SIGKILL), stops the server and removes the captured output.
    public func stop() async {
        if exitStatus == nil {
            process.terminate()
            let deadline = ContinuousClock.now + .seconds(2)
            while exitStatus == nil, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(10))
            }
            if exitStatus == nil {
                kill(processID, SIGKILL)
                while exitStatus == nil { try? await Task.sleep(for: .milliseconds(10)) }
            }
        }
        await server.stop()
        TestOutputArchive.keep(outputDirectory, kind: "bootstrap")
        try? FileManager.default.removeItem(at: outputDirectory)
    }

    static func locateBootstrap() throws -> String {
        try BuiltProduct.locate("bootstrap", override: "KEYROTATOR_BOOTSTRAP")
    }

    private static func read(_ path: String) -> String {
        (FileManager.default.contents(atPath: path)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}

/// Foundation's `Process` is not `Sendable`; it is only started once and then only signalled.
private final class ProcessBox: @unchecked Sendable {
    private let process: Process
    init(_ process: Process) { self.process = process }
    func terminate() { if process.isRunning { process.terminate() } }
}

private final class ExitStatusBox: Sendable {
    let status = Mutex<Int32?>(nil)
}
