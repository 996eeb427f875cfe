import ArgumentParser
import Foundation

/// The `keyrotator` operator CLI.
@main
struct KeyRotatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keyrotator",
        abstract: "Inspect and rotate the secrets that guard AWS APIs, with zero downtime.",
        discussion: """
        AWS settings come from the standard AWS environment: AWS_PROFILE, AWS_REGION (or \
        AWS_DEFAULT_REGION), the shared ~/.aws/config and ~/.aws/credentials files, and \
        AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> to send calls elsewhere (e.g. a local emulator).

        No secret value is ever printed: a value is shown as its fingerprint, the first 8 hex \
        digits of its SHA-256 (sha256:1a2b3c4d).

        \(ExitStatus.helpText)
        """,
        subcommands: [OriginCommand.self, APIKeysCommand.self]
    )

    /// Runs the command; usage errors exit 2 (not ArgumentParser's 64), as the help documents.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            exit(withError: error)
        }
    }
}
