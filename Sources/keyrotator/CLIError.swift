/// A failure the CLI reports as one line on stderr, with the exit code it maps to.
/// The message says what to fix and never holds a secret value.
struct CLIError: Error, CustomStringConvertible {
    var status: ExitStatus
    var message: String

    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    var description: String { message }
}
