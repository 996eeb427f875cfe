import APIKeyRotation
import AWSCore
import KeyRotation

extension CLIError {
    /// What the command was working on, so that an AWS error can name it.
    struct Context {
        var secretId: String?
        var region: String?
        var table: String?
    }

    /// Turns any error into the line the user reads and the exit code.
    static func from(_ error: any Error, context: Context) -> CLIError {
        switch error {
        case let error as CLIError:
            return error
        case let error as AWSConfigurationError:
            return CLIError(.awsOrConfiguration, error.message)
        case let error as AWSError:
            return from(error, context: context)
        case let error as AWSTransportError:
            return CLIError(.awsOrConfiguration, "\(error.service) \(error.operation): \(error.isTimeout ? "timed out talking to" : "could not reach") \(error.endpoint) after \(error.attempts) attempt\(error.attempts == 1 ? "" : "s"); check the network, AWS_REGION and AWS_ENDPOINT_URL.")
        case let error as AWSResponseDecodingError:
            return CLIError(.awsOrConfiguration, error.description)
        case let error as RotationError:
            switch error.code {
            // A secret that is not a JSON object, read outside a rotation (probe): the secret is misconfigured.
            case .invalidConfiguration, .invalidEvent, .invalidSecret: return CLIError(.awsOrConfiguration, error.message)
            default: return CLIError(.failed, "rotation failed (\(error.code.rawValue)): \(error.message)")
            }
        case let error as APIKeyRotationError:
            switch error.code {
            case .invalidConfiguration, .invalidEvent, .unknownItem: return CLIError(.awsOrConfiguration, error.message)
            default: return CLIError(.failed, "rotation failed (\(error.code.rawValue)): \(error.message)")
            }
        default:
            return CLIError(.failed, "\(error)")
        }
    }

    private static func from(_ error: AWSError, context: Context) -> CLIError {
        let action = "\(error.service):\(error.operation)"
        let region = context.region ?? "the configured region"
        switch error.code {
        case "ResourceNotFoundException" where error.service == "secretsmanager":
            if let secretId = context.secretId {
                return CLIError(.awsOrConfiguration, "secret \(secretId) not found in \(region): check --secret-id and AWS_REGION / AWS_PROFILE.")
            }
        case "ResourceNotFoundException" where error.service == "dynamodb":
            if let table = context.table {
                return CLIError(.awsOrConfiguration, "table \(table) not found in \(region): check --table and AWS_REGION / AWS_PROFILE.")
            }
        case "AccessDenied", "AccessDeniedException":
            return CLIError(.awsOrConfiguration, "access denied: the caller is not allowed \(action); grant it in the IAM policy of the user or role (AWS_PROFILE / credentials in use).")
        case "UnrecognizedClientException", "InvalidClientTokenId", "SignatureDoesNotMatch", "IncompleteSignature", "InvalidSignatureException":
            return CLIError(.awsOrConfiguration, "AWS rejected the credentials (\(error.code)) on \(action): check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or AWS_PROFILE.")
        case "ExpiredToken", "ExpiredTokenException", "RequestExpired":
            return CLIError(.awsOrConfiguration, "the AWS credentials have expired (\(error.code)): refresh them (e.g. aws sso login) and run again.")
        default:
            break
        }
        // CloudFront answers a denied call with a bare 403 and no error code.
        if error.statusCode == 403 {
            return CLIError(.awsOrConfiguration, "access denied: the caller is not allowed \(action); grant it in the IAM policy of the user or role (AWS_PROFILE / credentials in use).")
        }
        return CLIError(.awsOrConfiguration, "\(action) failed: \(error.code) (HTTP \(error.statusCode))\(error.message.map { ": \($0)" } ?? "")")
    }
}
