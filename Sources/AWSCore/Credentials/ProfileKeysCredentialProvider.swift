/// Static keys of one profile (`aws_access_key_id`, `aws_secret_access_key`, and
/// `aws_session_token` or the older `aws_security_token`) in one of the shared files: the
/// credentials file (botocore's `shared-credentials-file`) or the config file (`config-file`).
public struct ProfileKeysCredentialProvider: CredentialProvider {
    /// Which shared file the keys are read from.
    public enum File: Sendable {
        case credentials
        case config
    }

    public let profileName: String
    public let file: File
    private let environment: AWSEnvironment

    public init(profileName: String, file: File, environment: AWSEnvironment) {
        self.profileName = profileName
        self.file = file
        self.environment = environment
    }

    public var name: String { "static keys of profile '\(profileName)' in the \(file == .credentials ? "credentials" : "config") file" }
    public var source: CredentialSource { file == .credentials ? .sharedCredentialsFile : .configFile }

    public func credentials() async throws -> AWSCredentials? {
        let config = try environment.sharedConfig()
        let profiles = file == .credentials ? config.credentialsFileProfiles : config.configFileProfiles
        guard let profile = profiles[profileName], let id = profile["aws_access_key_id"] else { return nil }
        guard let secret = profile["aws_secret_access_key"] else {
            let path = (file == .credentials ? config.credentialsFilePath : config.configFilePath) ?? "the shared \(file) file"
            throw AWSConfigurationError(code: "IncompleteCredentials", message: "Profile '\(profileName)' in \(path) has aws_access_key_id but no aws_secret_access_key.")
        }
        return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: profile["aws_security_token"] ?? profile["aws_session_token"])
    }
}
