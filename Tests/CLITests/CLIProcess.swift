import Foundation
import LocalEmulator
import TestSupport

/// Runs the built `keyrotator` binary as a child process and collects what it printed.
struct CLIProcess {
    typealias Result = BuiltProduct.Result

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
    static func start(_ arguments: [String], environment: [String: String]) throws -> BuiltProduct.Running {
        try BuiltProduct.Running(executable: try BuiltProduct.locate("keyrotator", override: "KEYROTATOR_CLI"), arguments: arguments, environment: environment)
    }
}
