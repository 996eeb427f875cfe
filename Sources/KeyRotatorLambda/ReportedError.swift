import APIKeyRotation
import AWSCore
import KeyRotation
import LambdaRuntime
import OriginVerifier

/// A handler failure as the Runtime API sees it: an `errorType` that names the kind of failure
/// (`KeyRotator.NotDeployedInTime`, `AWS.AccessDenied`, ...) and a message without secrets.
struct ReportedError: LambdaReportableError {
    let errorType: String
    let description: String

    init(_ error: any Error) {
        switch error {
        case let error as RotationError:
            errorType = "KeyRotator.\(error.code.rawValue)"
            description = error.message
        case let error as APIKeyRotationError:
            errorType = "KeyRotator.\(error.code.rawValue)"
            description = error.message
        case let error as AWSError:
            errorType = "AWS.\(error.code)"
            description = error.description
        case let error as AWSConfigurationError:
            errorType = "Configuration.\(error.code)"
            description = error.message
        case let error as OriginVerifierError:
            errorType = "KeyRotator.\(error.code)"
            description = error.description
        case let error as AuthorizerEventError:
            errorType = "Runtime.InvalidEvent"
            description = "\(error)"
        case let error as AWSTransportError:
            errorType = "AWS.Transport"
            description = error.description
        default:
            errorType = "KeyRotator.\(type(of: error))"
            description = "\(error)"
        }
    }
}
