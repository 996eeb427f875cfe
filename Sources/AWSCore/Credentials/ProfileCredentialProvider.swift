/// The profile-based sources of one profile, in botocore's order: web identity, IAM Identity
/// Center, static keys in the credentials file, `credential_process`, static keys in the config
/// file. The first that is configured answers; nil when none is.
public struct ProfileCredentialProvider: CredentialProvider {
    public let profileName: String
    /// The sources tried, in order.
    public let providers: [any CredentialProvider]
    private let environment: AWSEnvironment
    private let requireProfile: Bool

    /// The profile the environment selects (`AWS_PROFILE`); a profile named explicitly must exist.
    public init(environment: AWSEnvironment) {
        self.init(profileName: environment.profileName, context: CredentialContext(environment: environment),
                  useEnvironment: true, requireProfile: environment.profileIsExplicit)
    }

    /// - Parameter useEnvironment: false for a `source_profile` (web identity variables are then ignored).
    public init(profileName: String, context: CredentialContext, useEnvironment: Bool = true, requireProfile: Bool = false) {
        self.profileName = profileName
        self.environment = context.environment
        self.requireProfile = requireProfile
        self.providers = Self.providers(profileName: profileName, context: context, useEnvironment: useEnvironment)
    }

    static func providers(profileName: String, context: CredentialContext, useEnvironment: Bool) -> [any CredentialProvider] {
        [
            WebIdentityCredentialProvider(profileName: profileName, context: context, useEnvironment: useEnvironment),
            SSOCredentialProvider(profileName: profileName, context: context),
            ProfileKeysCredentialProvider(profileName: profileName, file: .credentials, environment: context.environment),
            CredentialProcessProvider(profileName: profileName, environment: context.environment, timeout: context.processTimeout),
            ProfileKeysCredentialProvider(profileName: profileName, file: .config, environment: context.environment),
        ]
    }

    public var name: String { "shared config profile '\(profileName)'" }

    public func credentials() async throws -> AWSCredentials? { try await resolve()?.credentials }

    public func resolve() async throws -> ResolvedCredentials? {
        if requireProfile {
            let config = try environment.sharedConfig()
            if config.profile(profileName) == nil { throw AWSConfigurationError.profileNotFound(profileName, files: config.filesRead) }
        }
        for provider in providers {
            if let resolved = try await provider.resolve() { return resolved }
        }
        return nil
    }
}
