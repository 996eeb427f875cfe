import Foundation

/// Why a child process could not be started or read.
public enum ChildProcessError: Error, CustomStringConvertible {
    case cannotCreateLog(path: String)
    case cannotLaunch(executable: String, reason: String)
    case timedOut(after: Duration)

    public var description: String {
        switch self {
        case .cannotCreateLog(let path): "cannot create the child's stderr log at \(path): check the temporary directory"
        case .cannotLaunch(let executable, let reason): "cannot launch \(executable): \(reason)"
        case .timedOut(let after): "the child did not answer within \(after)"
        }
    }
}
