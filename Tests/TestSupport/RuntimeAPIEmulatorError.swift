/// Why the Runtime API emulator could not produce what a test asked for.
public enum RuntimeAPIEmulatorError: Error, Sendable, CustomStringConvertible {
    case cannotListen
    case timedOut(what: String, after: Duration)
    case processExited(status: Int32, standardError: String, standardOutput: String)
    case stopped

    public var description: String {
        switch self {
        case .cannotListen:
            "The Runtime API emulator could not listen on 127.0.0.1"
        case .timedOut(let what, let after):
            "Timed out after \(after) waiting for \(what)"
        case .processExited(let status, let standardError, let standardOutput):
            "bootstrap exited with status \(status) before answering; stdout tail:\n\(standardOutput.suffix(2000))\nstderr tail:\n\(standardError.suffix(2000))"
        case .stopped:
            "The Runtime API emulator was stopped"
        }
    }
}
