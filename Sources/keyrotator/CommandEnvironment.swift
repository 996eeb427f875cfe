import ArgumentParser
import AWSCore
import Foundation
import Logging

/// What every command needs to talk to AWS: a client from the standard AWS environment, and a
/// way to report a failure as one line and an exit code.
struct CommandEnvironment {
    let client: AWSClient
    let logger: Logger

    init(verbose: Bool) throws {
        var logger = Logger(label: "keyrotator") { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .debug
            return handler
        }
        logger.logLevel = verbose ? .debug : .critical
        self.logger = logger
        client = try AWSClient.fromEnvironment(.process, mfaCodeProvider: TerminalPrompt.mfaCodeProvider, userAgent: "keyrotator-cli/1", logger: logger)
    }

    /// Runs `body`; any error becomes one line on stderr and the documented exit code.
    static func run(secretId: String?, table: String? = nil, verbose: Bool, _ body: (CommandEnvironment) async throws -> ExitStatus) async throws {
        var context = CLIError.Context(secretId: secretId, region: nil, table: table)
        let status: ExitStatus
        do {
            let environment = try CommandEnvironment(verbose: verbose)
            context.region = environment.client.region
            status = try await body(environment)
        } catch {
            let failure = CLIError.from(error, context: context)
            Console.error("keyrotator: error: \(failure.message)")
            throw ExitCode(failure.status.rawValue)
        }
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}
