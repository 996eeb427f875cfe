package import Subprocess

extension TerminationStatus {
    /// The exit code, or the number of the signal that ended the child (not 128 + it, as a shell reports).
    package var statusCode: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let signal): signal
        }
    }
}
