/// Where a set of credentials came from, named as botocore names its providers
/// (`botocore.credentials.Credentials.method`), so that our answers can be compared with the AWS CLI's.
public enum CredentialSource: String, Sendable, Hashable, CaseIterable {
    /// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`.
    case environment = "env"
    /// `role_arn` with `source_profile` or `credential_source` in a profile: STS AssumeRole.
    case assumeRole = "assume-role"
    /// `AWS_ROLE_ARN` + `AWS_WEB_IDENTITY_TOKEN_FILE`, or `role_arn` + `web_identity_token_file` in a profile.
    case webIdentity = "assume-role-with-web-identity"
    /// IAM Identity Center: `sso_session` or `sso_start_url`/`sso_account_id`/`sso_role_name` in a profile.
    case sso = "sso"
    /// Static keys in the shared credentials file (`~/.aws/credentials`).
    case sharedCredentialsFile = "shared-credentials-file"
    /// `credential_process` in a profile.
    case process = "custom-process"
    /// Static keys in the shared config file (`~/.aws/config`).
    case configFile = "config-file"
    /// The ECS/EKS container credentials endpoint.
    case container = "container-role"
    /// The EC2 instance role, through IMDSv2.
    case instanceMetadata = "iam-role"
    /// Credentials given in code (`StaticCredentialProvider`).
    case explicit = "explicit"
    /// A provider of the caller's own.
    case custom = "custom"
}

/// Credentials and the sources they were obtained through, innermost first: a role assumed with
/// a source profile's keys is `[.sharedCredentialsFile, .assumeRole]`.
public struct ResolvedCredentials: Sendable {
    public var credentials: AWSCredentials
    /// Every hop, innermost first; never empty.
    public var sources: [CredentialSource]

    public init(_ credentials: AWSCredentials, sources: [CredentialSource]) {
        self.credentials = credentials
        self.sources = sources.isEmpty ? [.custom] : sources
    }

    /// The source that produced these credentials (the last hop).
    public var source: CredentialSource { sources.last ?? .custom }
}
