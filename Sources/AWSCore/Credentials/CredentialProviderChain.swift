public import AsyncHTTPClient
import Logging
import Synchronization

/// Tries providers in order and uses the first that is configured; a provider that is
/// configured but broken stops the chain with its own error, as the AWS SDKs do. Once a provider
/// has answered, later refreshes go straight to it.
public struct CredentialProviderChain: CredentialProvider {
    public let name = "credential provider chain"
    public let providers: [any CredentialProvider]
    private let chosen = ChosenProvider()
    private let environment: AWSEnvironment?
    private let logger: Logger?

    public init(_ providers: [any CredentialProvider]) {
        self.providers = providers
        self.environment = nil
        self.logger = nil
    }

    init(_ providers: [any CredentialProvider], checkingProfileOf environment: AWSEnvironment, logger: Logger) {
        self.providers = providers
        self.environment = environment
        self.logger = logger
    }

    /// botocore's default chain (`botocore.credentials.create_credential_resolver`): environment,
    /// assume-role profile, web identity, IAM Identity Center, the credentials file's keys,
    /// `credential_process`, the config file's keys, the container endpoint, EC2 instance metadata.
    /// A profile named by `AWS_PROFILE` (or `AWS_DEFAULT_PROFILE`) must exist, even when the
    /// environment has keys, as in botocore.
    public static func `default`(context: CredentialContext) -> CredentialProviderChain {
        let profile = context.environment.profileName
        return CredentialProviderChain(
            [EnvironmentCredentialProvider(environment: context.environment), AssumeRoleCredentialProvider(profileName: profile, context: context)]
                + ProfileCredentialProvider.providers(profileName: profile, context: context, useEnvironment: true)
                + [ContainerCredentialProvider(context: context), InstanceMetadataCredentialProvider(context: context)],
            checkingProfileOf: context.environment, logger: context.logger)
    }

    /// The default chain, with every request of its providers sent through `httpClient`.
    public static func `default`(environment: AWSEnvironment, httpClient: HTTPClient) -> CredentialProviderChain {
        .default(context: CredentialContext(environment: environment, transport: .fixed(httpClient)))
    }

    /// The kind of source that answered last, or `.custom` before any has.
    public var source: CredentialSource {
        chosen.index.map { providers[$0].source } ?? .custom
    }

    public func credentials() async throws -> AWSCredentials? { try await resolve()?.credentials }

    public func resolve() async throws -> ResolvedCredentials? {
        if let environment, environment.profileIsExplicit {
            let config = try environment.sharedConfig()
            if config.profile(environment.profileName) == nil {
                throw AWSConfigurationError.profileNotFound(environment.profileName, files: config.filesRead)
            }
        }
        if let index = chosen.index, let resolved = try await providers[index].resolve() { return resolved }
        for (index, provider) in providers.enumerated() {
            if let resolved = try await provider.resolve() {
                chosen.index = index
                logger?.debug("aws credentials resolved", metadata: [
                    "source": "\(resolved.source.rawValue)", "via": "\(resolved.sources.map(\.rawValue).joined(separator: ","))",
                    "accessKeyId": "\(resolved.credentials.maskedAccessKeyId)",
                ])
                return resolved
            }
        }
        throw AWSConfigurationError.noCredentials(tried: providers.map(\.name))
    }
}

/// Which provider of a chain answered (shared by copies of the chain).
private final class ChosenProvider: Sendable {
    private let value = Mutex<Int?>(nil)

    var index: Int? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
