#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` (or the
/// older `AWS_SECURITY_TOKEN`), with `AWS_CREDENTIAL_EXPIRATION` when they are temporary. As in
/// botocore, the source counts as configured when `AWS_ACCESS_KEY_ID` is set.
public struct EnvironmentCredentialProvider: CredentialProvider {
    public let name = "environment (AWS_ACCESS_KEY_ID)"
    public var source: CredentialSource { .environment }
    private let environment: AWSEnvironment

    public init(environment: AWSEnvironment) { self.environment = environment }

    public func credentials() async throws -> AWSCredentials? {
        guard let id = environment["AWS_ACCESS_KEY_ID"] else { return nil }
        guard let secret = environment["AWS_SECRET_ACCESS_KEY"] else {
            throw AWSConfigurationError(code: "IncompleteCredentials", message: "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together; only AWS_ACCESS_KEY_ID is set.")
        }
        var expiration: Date?
        if let text = environment["AWS_CREDENTIAL_EXPIRATION"] {
            guard let parsed = AWSTimestamp.parseISO8601(text) else {
                throw AWSConfigurationError(code: "InvalidCredentials", message: "AWS_CREDENTIAL_EXPIRATION must be an ISO 8601 time such as 2030-01-02T03:04:05Z.")
            }
            expiration = parsed
        }
        return AWSCredentials(accessKeyId: id, secretAccessKey: secret,
                              sessionToken: environment["AWS_SECURITY_TOKEN"] ?? environment["AWS_SESSION_TOKEN"], expiration: expiration)
    }
}
