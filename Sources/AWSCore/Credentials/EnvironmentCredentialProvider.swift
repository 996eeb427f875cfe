/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
public struct EnvironmentCredentialProvider: CredentialProvider {
    public let name = "environment (AWS_ACCESS_KEY_ID)"
    private let environment: AWSEnvironment

    public init(environment: AWSEnvironment) { self.environment = environment }

    public func credentials() async throws -> AWSCredentials? {
        let id = environment["AWS_ACCESS_KEY_ID"]
        let secret = environment["AWS_SECRET_ACCESS_KEY"]
        if id == nil && secret == nil { return nil }
        guard let id, let secret else {
            throw AWSConfigurationError(code: "IncompleteCredentials", message: "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together; only \(id == nil ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID") is set.")
        }
        return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: environment["AWS_SESSION_TOKEN"])
    }
}
