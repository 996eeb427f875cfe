/// Credentials from the selected profile of the shared files: static keys
/// (`aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`) or `credential_process`.
public struct ProfileCredentialProvider: CredentialProvider {
    public var name: String { "shared config profile '\(environment.profileName)'" }
    private let environment: AWSEnvironment

    public init(environment: AWSEnvironment) { self.environment = environment }

    public func credentials() async throws -> AWSCredentials? {
        let config = try environment.sharedConfig()
        let profileName = environment.profileName
        guard let profile = config.profile(profileName) else {
            if environment.profileIsExplicit {
                throw AWSConfigurationError.profileNotFound(profileName, files: config.filesRead)
            }
            return nil
        }
        if let id = profile["aws_access_key_id"] {
            guard let secret = profile["aws_secret_access_key"] else {
                throw AWSConfigurationError(code: "IncompleteCredentials", message: "Profile '\(profileName)' has aws_access_key_id but no aws_secret_access_key.")
            }
            return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: profile["aws_session_token"])
        }
        if let command = profile["credential_process"] {
            return try runCredentialProcess(command, profile: profileName)
        }
        return nil
    }

    private func runCredentialProcess(_ command: String, profile: String) throws -> AWSCredentials {
        let source = "credential_process of profile '\(profile)'"
        let result = try ChildProcess.runShell(command, environment: environment.variables)
        guard result.status == 0 else {
            throw AWSConfigurationError(code: "CredentialProcessFailed", message: "\(source) exited with status \(result.status).")
        }
        let document: CredentialsDocument
        do {
            document = try JSONDecoder().decode(CredentialsDocument.self, from: Data(result.output))
        } catch {
            throw AWSConfigurationError(code: "CredentialProcessFailed", message: "\(source) did not print the JSON credentials document (Version, AccessKeyId, SecretAccessKey).")
        }
        guard document.version == 1 else {
            throw AWSConfigurationError(code: "CredentialProcessFailed", message: "\(source) printed Version \(document.version.map(String.init) ?? "none"); only Version 1 is supported.")
        }
        return try document.credentials(source: source)
    }
}
