import Foundation
import LocalEmulator
import Subprocess
import Synchronization
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// An executable this package builds (`keyrotator`, `keyrotator-demo`, `bootstrap`), run as a
/// child process by the tests, with its output collected in files.
public enum BuiltProduct {
    public struct NotFound: Error, CustomStringConvertible {
        public var description: String
    }

    /// The debug build of `name` next to the test bundle (or in `.build/debug`), or the path in the
    /// environment variable `override` when it is set.
    public static func locate(_ name: String, override: String) throws -> String {
        if let path = ProcessInfo.processInfo.environment[override], !path.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: path) else { throw NotFound(description: "\(override)=\(path) is not an executable") }
            return path
        }
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var candidates = [testBinary.deletingLastPathComponent().appendingPathComponent(name).path]
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        candidates.append(root.appendingPathComponent(".build/debug/\(name)").path)
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw NotFound(description: "the \(name) binary was not found (looked in \(candidates.joined(separator: ", "))): run `swift build --build-tests` first")
        }
        return found
    }

    /// What a finished process printed.
    public struct Result: Sendable, CustomStringConvertible {
        public var exitCode: Int32
        public var stdout: String
        public var stderr: String

        public var description: String { "exit \(exitCode)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }

        /// stdout decoded as a JSON object.
        public func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] else {
                throw NotFound(description: "stdout is not a JSON object:\n\(stdout)")
            }
            return object
        }
    }

    /// A started process, its output going to files. Run by swift-subprocess: nothing blocks a
    /// thread of the cooperative pool while it runs, and cancelling its wait kills it.
    public final class Running: Sendable {
        private let directory: URL
        private let label: String
        private let execution: Task<Int32, any Error>
        private let state: ProcessState

        final class ProcessState: Sendable {
            let processID = Mutex<pid_t?>(nil)
            let exitStatus = Mutex<Int32?>(nil)
        }

        /// `standardInput` is what the process reads on stdin (nothing when nil).
        public init(executable: String, arguments: [String], environment: [String: String], workingDirectory: String? = nil,
                    standardInput: String? = nil) throws {
            let label = ([URL(fileURLWithPath: executable).lastPathComponent] + arguments).joined(separator: " ")
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keyrotator-process-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let stdinPath = directory.appendingPathComponent("stdin").path
            _ = FileManager.default.createFile(atPath: stdinPath, contents: Data((standardInput ?? "").utf8))
            let writable: FilePermissions = [.ownerReadWrite]
            let out = try FileDescriptor.open(FilePath(directory.appendingPathComponent("stdout").path), .writeOnly, options: [.create, .truncate], permissions: writable)
            let err = try FileDescriptor.open(FilePath(directory.appendingPathComponent("stderr").path), .writeOnly, options: [.create, .truncate], permissions: writable)
            let input = try FileDescriptor.open(FilePath(stdinPath), .readOnly)
            let state = ProcessState()
            self.state = state
            self.label = label
            self.directory = directory
            execution = Task {
                let result: ExecutionResult<Void, FileDescriptorOutput, FileDescriptorOutput>
                do {
                    result = try await Subprocess.run(
                        .path(FilePath(executable)), arguments: Arguments(arguments), environment: .only(environment),
                        workingDirectory: workingDirectory.map { FilePath($0) },
                        input: .fileDescriptor(input, closeAfterSpawningProcess: true),
                        output: .fileDescriptor(out, closeAfterSpawningProcess: true),
                        error: .fileDescriptor(err, closeAfterSpawningProcess: true)
                    ) { execution in
                        state.processID.withLock { $0 = execution.processIdentifier.value }
                    }
                } catch {
                    state.exitStatus.withLock { $0 = -1 }   // it never ran, or could not be waited for
                    throw error
                }
                let status = result.terminationStatus.statusCode
                state.exitStatus.withLock { $0 = status }
                return status
            }
        }

        /// The process id, once it has been spawned.
        public var pid: Int32? { state.processID.withLock { $0 } }

        private var isRunning: Bool { state.exitStatus.withLock { $0 == nil } }

        /// What the process wrote to stdout so far.
        public var stdoutSoFar: String { read("stdout") }

        /// What the process wrote to stderr so far.
        public var stderrSoFar: String { read("stderr") }

        private func read(_ name: String) -> String {
            (try? String(decoding: Data(contentsOf: directory.appendingPathComponent(name)), as: UTF8.self)) ?? ""
        }

        /// Waits until stdout (or stderr) contains `text`.
        public func waitForOutput(containing text: String, onStderr: Bool = false, timeout: Duration = .seconds(60)) async throws {
            let deadline = ContinuousClock.now + timeout
            while !(onStderr ? stderrSoFar : stdoutSoFar).contains(text) {
                guard ContinuousClock.now < deadline, isRunning else {
                    throw NotFound(description: "\(label) never wrote '\(text)':\n\(stdoutSoFar)\n\(stderrSoFar)")
                }
                try await Task.sleep(for: .milliseconds(50))
            }
        }

        /// Sends a signal (e.g. SIGINT, as a user's Ctrl-C); nothing before the process was spawned.
        public func signal(_ number: Int32) {
            if let pid { kill(pid, number) }
        }

        /// Waits for the exit and returns what was printed; kills the process after `timeout`.
        public func wait(timeout: Duration = .seconds(120)) async throws -> Result {
            defer {
                TestOutputArchive.keep(directory, kind: String(label.split(separator: " ").first ?? "process"))
                try? FileManager.default.removeItem(at: directory)
            }
            let execution = self.execution
            let status = try await withThrowingTaskGroup(of: Int32?.self) { group in
                group.addTask { try await execution.value }
                group.addTask { try await Task.sleep(for: timeout); return nil }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
            }
            guard let status else {
                execution.cancel()   // swift-subprocess tears the child down
                _ = try? await execution.value
                throw NotFound(description: "\(label) did not exit within \(timeout)")
            }
            return Result(exitCode: status, stdout: read("stdout"), stderr: read("stderr"))
        }
    }
}
