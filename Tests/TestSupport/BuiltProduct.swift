import Foundation

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

    /// A started process, its output going to files.
    public final class Running: @unchecked Sendable {
        private let process = Process()
        private let directory: URL
        private let out: FileHandle, err: FileHandle
        private let exited = AsyncStream<Int32>.makeStream()
        private let label: String

        /// `standardInput` is what the process reads on stdin (nothing when nil).
        public init(executable: String, arguments: [String], environment: [String: String], workingDirectory: String? = nil,
                    standardInput: String? = nil) throws {
            label = ([URL(fileURLWithPath: executable).lastPathComponent] + arguments).joined(separator: " ")
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("keyrotator-process-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: directory.appendingPathComponent("stdout").path, contents: nil)
            _ = FileManager.default.createFile(atPath: directory.appendingPathComponent("stderr").path, contents: nil)
            out = try FileHandle(forWritingTo: directory.appendingPathComponent("stdout"))
            err = try FileHandle(forWritingTo: directory.appendingPathComponent("stderr"))
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.environment = environment
            if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
            process.standardOutput = out
            process.standardError = err
            if let standardInput {
                let path = directory.appendingPathComponent("stdin").path
                _ = FileManager.default.createFile(atPath: path, contents: Data(standardInput.utf8))
                process.standardInput = FileHandle(forReadingAtPath: path)
            } else {
                process.standardInput = FileHandle.nullDevice
            }
            let continuation = exited.continuation
            process.terminationHandler = { continuation.yield($0.terminationStatus); continuation.finish() }
            try process.run()
        }

        public var pid: Int32 { process.processIdentifier }

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
                guard ContinuousClock.now < deadline, process.isRunning else {
                    throw NotFound(description: "\(label) never wrote '\(text)':\n\(stdoutSoFar)\n\(stderrSoFar)")
                }
                try await Task.sleep(for: .milliseconds(50))
            }
        }

        /// Sends a signal (e.g. SIGINT, as a user's Ctrl-C).
        public func signal(_ number: Int32) { kill(process.processIdentifier, number) }

        /// Waits for the exit and returns what was printed; kills the process after `timeout`.
        public func wait(timeout: Duration = .seconds(120)) async throws -> Result {
            defer {
                TestOutputArchive.keep(directory, kind: URL(fileURLWithPath: process.executableURL?.path ?? "process").lastPathComponent)
                try? FileManager.default.removeItem(at: directory)
            }
            let stream = exited.stream
            let status = try await withThrowingTaskGroup(of: Int32?.self) { group in
                group.addTask { await stream.first { _ in true } }
                group.addTask { try await Task.sleep(for: timeout); return nil }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
            }
            guard let status else {
                process.terminate()
                throw NotFound(description: "\(label) did not exit within \(timeout)")
            }
            try out.close()
            try err.close()
            return Result(exitCode: status, stdout: read("stdout"), stderr: read("stderr"))
        }
    }
}
