import Foundation
import LocalEmulator
import SystemPackage

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

    private let process: SpawnedProcess
    private let outputDirectory: URL

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
            return try await launch(server: server, executable: path, arguments: arguments, handler: handler, environment: environment)
        } catch {
            await server.stop()
            throw error
        }
    }

    private init(server: RuntimeAPIServer, executable: String, process: SpawnedProcess, startedAt: ContinuousClock.Instant, outputDirectory: URL) {
        self.server = server
        self.executable = executable
        self.process = process
        self.processID = process.processID
        self.startedAt = startedAt
        self.outputDirectory = outputDirectory
    }

    private static func launch(
        server: RuntimeAPIServer, executable: String, arguments: [String], handler: String?, environment: [String: String]
    ) async throws -> RuntimeAPIEmulator {
        let outputDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("runtime-api-emulator-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        let stdoutPath = outputDirectory.appendingPathComponent("stdout").path
        let stderrPath = outputDirectory.appendingPathComponent("stderr").path

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

        do {
            let writable: FilePermissions = [.ownerReadWrite]
            let input = try FileDescriptor.open("/dev/null", .readOnly)
            let output = try FileDescriptor.open(FilePath(stdoutPath), .writeOnly, options: [.create, .truncate], permissions: writable)
            let error = try FileDescriptor.open(FilePath(stderrPath), .writeOnly, options: [.create, .truncate], permissions: writable)
            let startedAt = ContinuousClock.now
            let process = try await SpawnedProcess.start(
                executable: executable, arguments: arguments, environment: childEnvironment,
                input: input, output: .file(output), error: error
            ) { status in
                // Invocations waiting for an answer fail at once rather than time out.
                server.failPending(
                    with: RuntimeAPIEmulatorError.processExited(status: status, standardError: Self.read(stderrPath), standardOutput: Self.read(stdoutPath))
                )
            }
            return RuntimeAPIEmulator(server: server, executable: executable, process: process, startedAt: startedAt, outputDirectory: outputDirectory)
        } catch {
            try? FileManager.default.removeItem(at: outputDirectory)
            throw error
        }
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
        guard let status = try await process.waitForExit(timeout: timeout) else {
            throw RuntimeAPIEmulatorError.timedOut(what: "bootstrap to exit", after: timeout)
        }
        return status
    }

    /// The exit status, once the process has exited.
    public var exitStatus: Int32? { process.exitStatus }

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
            return Int(line.dropFirst("VmHWM:".count).split(whereSeparator: \.isWhitespace).first ?? "")   // "VmHWM:\t  2380 kB"
        }
        return nil
    }

    /// Kills the bootstrap (SIGTERM, then SIGKILL), stops the server and removes the captured output.
    public func stop() async {
        await process.stop(grace: .seconds(2))
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
