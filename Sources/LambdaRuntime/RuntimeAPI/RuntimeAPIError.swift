/// The runtime cannot talk to the Lambda Runtime API; the process exits and Lambda starts a new one.
public enum RuntimeAPIError: Error, Sendable, CustomStringConvertible {
    /// `AWS_LAMBDA_RUNTIME_API` is not set: the binary was not started by Lambda or an emulator.
    case missingEndpoint
    /// `AWS_LAMBDA_RUNTIME_API` is not `host:port`.
    case invalidEndpoint(String)
    /// `/runtime/invocation/next` answered without a `Lambda-Runtime-Aws-Request-Id` header.
    case missingRequestID
    /// The Runtime API answered a request with an unexpected status.
    case unexpectedStatus(path: String, status: Int)
    /// The Runtime API could not be reached.
    case transport(path: String, underlying: String)

    public var description: String {
        switch self {
        case .missingEndpoint:
            "AWS_LAMBDA_RUNTIME_API is not set: run this binary as a Lambda function (provided.al2023) or under a Runtime API emulator"
        case .invalidEndpoint(let value):
            "AWS_LAMBDA_RUNTIME_API is '\(value)', expected host:port"
        case .missingRequestID:
            "The Runtime API sent an invocation without a Lambda-Runtime-Aws-Request-Id header"
        case .unexpectedStatus(let path, let status):
            "The Runtime API answered HTTP \(status) to \(path)"
        case .transport(let path, let underlying):
            "Cannot reach the Runtime API for \(path): \(underlying)"
        }
    }
}
