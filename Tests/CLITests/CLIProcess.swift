import Foundation
import TestSupport

/// Runs the built `keyrotator` binary as a child process and collects what it printed.
struct CLIProcess {
    struct Result: CustomStringConvertible {
        var exitCode: Int32
        var stdout: String
        var stderr: String

        var description: String { "exit \(exitCode)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }

        /// stdout decoded as a JSON object.
        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] else {
                throw CLIProcessError("stdout is not a JSON object:\n\(stdout)")
            }
            return object
        }
    }

    struct CLIProcessError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The environment a user pointed at moto would have: the standard AWS variables, no
    /// instance metadata, and an empty home directory (no ~/.aws files).
    static func motoEnvironment(_ moto: MotoServer) throws -> [String: String] {
        var environment = moto.environment()
        environment["AWS_EC2_METADATA_DISABLED"] = "true"
        environment["HOME"] = try emptyHome()
        environment["PATH"] = "/usr/bin:/bin"
        return environment
    }

    static func emptyHome() throws -> String {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("keyrotator-cli-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        return home.path
    }

    /// Runs `keyrotator arguments...` with exactly `environment`, and waits for it to exit.
    static func run(_ arguments: [String], environment: [String: String], timeout: Duration = .seconds(120)) async throws -> Result {
        try await start(arguments, environment: environment).wait(timeout: timeout)
    }

    /// Starts `keyrotator arguments...`; `wait` collects the result.
    static func start(_ arguments: [String], environment: [String: String]) throws -> Running {
        try Running(arguments: arguments, environment: environment, executable: try locate())
    }

    /// A started `keyrotator` process, its output going to files.
    final class Running: @unchecked Sendable {
        private let process = Process()
        private let directory: URL
        private let out: FileHandle, err: FileHandle
        private let exited = AsyncStream<Int32>.makeStream()
        private let arguments: [String]

        init(arguments: [String], environment: [String: String], executable: String) throws {
            self.arguments = arguments
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("keyrotator-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: directory.appendingPathComponent("stdout").path, contents: nil)
            _ = FileManager.default.createFile(atPath: directory.appendingPathComponent("stderr").path, contents: nil)
            out = try FileHandle(forWritingTo: directory.appendingPathComponent("stdout"))
            err = try FileHandle(forWritingTo: directory.appendingPathComponent("stderr"))
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.environment = environment
            process.standardOutput = out
            process.standardError = err
            process.standardInput = FileHandle.nullDevice
            let continuation = exited.continuation
            process.terminationHandler = { continuation.yield($0.terminationStatus); continuation.finish() }
            try process.run()
        }

        /// What the process wrote to stderr so far.
        var stderrSoFar: String {
            (try? String(decoding: Data(contentsOf: directory.appendingPathComponent("stderr")), as: UTF8.self)) ?? ""
        }

        /// Waits until stderr contains `text` (e.g. a progress line).
        func waitForStderr(containing text: String, timeout: Duration = .seconds(60)) async throws {
            let deadline = ContinuousClock.now + timeout
            while !stderrSoFar.contains(text) {
                guard ContinuousClock.now < deadline, process.isRunning else {
                    throw CLIProcessError("keyrotator never wrote '\(text)' on stderr:\n\(stderrSoFar)")
                }
                try await Task.sleep(for: .milliseconds(50))
            }
        }

        func wait(timeout: Duration = .seconds(120)) async throws -> Result {
            defer { try? FileManager.default.removeItem(at: directory) }
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
                throw CLIProcessError("keyrotator \(arguments.joined(separator: " ")) did not exit within \(timeout)")
            }
            try out.close()
            try err.close()
            return Result(exitCode: status, stdout: String(decoding: try Data(contentsOf: directory.appendingPathComponent("stdout")), as: UTF8.self),
                          stderr: String(decoding: try Data(contentsOf: directory.appendingPathComponent("stderr")), as: UTF8.self))
        }
    }

    /// The debug `keyrotator` next to the test bundle, or `KEYROTATOR_CLI`.
    static func locate() throws -> String {
        if let path = ProcessInfo.processInfo.environment["KEYROTATOR_CLI"], !path.isEmpty { return path }
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var candidates = [testBinary.deletingLastPathComponent().appendingPathComponent("keyrotator").path]
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        candidates.append(root.appendingPathComponent(".build/debug/keyrotator").path)
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw CLIProcessError("the keyrotator binary was not found (looked in \(candidates.joined(separator: ", "))): run `swift build --build-tests` first")
        }
        return found
    }
}
