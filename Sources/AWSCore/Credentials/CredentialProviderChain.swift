import AsyncHTTPClient

/// Tries providers in order and uses the first that is configured; a provider that is
/// configured but broken stops the chain with its own error, as the AWS SDKs do.
public struct CredentialProviderChain: CredentialProvider {
    public let name = "credential provider chain"
    public let providers: [any CredentialProvider]

    public init(_ providers: [any CredentialProvider]) { self.providers = providers }

    /// The order every AWS SDK uses: environment, shared files (`AWS_PROFILE`), container
    /// endpoint, EC2 instance metadata.
    public static func `default`(environment: AWSEnvironment, httpClient: HTTPClient) -> CredentialProviderChain {
        CredentialProviderChain([
            EnvironmentCredentialProvider(environment: environment),
            ProfileCredentialProvider(environment: environment),
            ContainerCredentialProvider(environment: environment, httpClient: httpClient),
            InstanceMetadataCredentialProvider(environment: environment, httpClient: httpClient),
        ])
    }

    public func credentials() async throws -> AWSCredentials? {
        for provider in providers {
            if let credentials = try await provider.credentials() { return credentials }
        }
        throw AWSConfigurationError.noCredentials(tried: providers.map(\.name))
    }
}
