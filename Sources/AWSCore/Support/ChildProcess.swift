import Subprocess
import SystemPackage

/// Runs a shell command and collects its standard output, with swift-subprocess (its asynchronous
/// I/O blocks no thread of the cooperative pool); standard error passes through to ours.
enum ChildProcess {
    struct Result {
        var status: Int32
        var output: [UInt8]
        /// The command ran out of time and was killed.
        var timedOut: Bool
    }

    /// The most a command may print; more is an error, not a truncated document.
    static let outputLimit = 1 << 20

    /// Runs `command` with `/bin/sh -c`, killing it when it runs longer than `timeout`.
    static func runShell(_ command: String, environment: [String: String], timeout: Duration) async throws -> Result {
        var variables: [Environment.Key: String] = [:]
        for (name, value) in environment {
            if let key = Environment.Key(rawValue: name) { variables[key] = value }
        }
        let childEnvironment = Environment.custom(variables)
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                // Cancelling this task tears the child down (swift-subprocess ends with SIGKILL).
                let outcome = try await run(.path("/bin/sh"), arguments: ["-c", command], environment: childEnvironment,
                                            output: .bytes(limit: outputLimit), error: .currentStandardError)
                let status: Int32 = switch outcome.terminationStatus {
                case .exited(let code): code
                case .signaled(let signal): 128 + signal
                }
                return Result(status: status, output: outcome.standardOutput, timedOut: false)
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            do {
                guard let first = try await group.next(), let finished = first else {
                    return Result(status: -1, output: [], timedOut: true)
                }
                return finished
            } catch is SubprocessError {
                throw AWSConfigurationError(code: "ProcessFailed", message: "could not run /bin/sh, or the command printed more than \(outputLimit) bytes")
            }
        }
    }
}
