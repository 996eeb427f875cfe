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
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keyrotator-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outURL = directory.appendingPathComponent("stdout"), errURL = directory.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try locate())
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let exited = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { exited.continuation.yield($0.terminationStatus); exited.continuation.finish() }
        try process.run()
        let status = try await withThrowingTaskGroup(of: Int32?.self) { group in
            group.addTask { await exited.stream.first { _ in true } }
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
        return Result(exitCode: status, stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
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
