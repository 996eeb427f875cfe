#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
/// STS AssumeRoleWithWebIdentity with an OIDC token from a file (GitHub Actions, EKS service
/// accounts): `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and `AWS_ROLE_SESSION_NAME`, each of
/// which wins over the profile's `web_identity_token_file`, `role_arn` and `role_session_name`
/// (as in botocore). The token file is read again on every refresh.
public struct WebIdentityCredentialProvider: CredentialProvider {
    public let profileName: String
    private let context: CredentialContext
    private let useEnvironment: Bool

    /// - Parameter useEnvironment: false for a `source_profile`, whose settings come from the profile only.
    public init(profileName: String, context: CredentialContext, useEnvironment: Bool = true) {
        self.profileName = profileName
        self.context = context
        self.useEnvironment = useEnvironment
    }

    public var name: String { "web identity (AWS_WEB_IDENTITY_TOKEN_FILE or web_identity_token_file in profile '\(profileName)')" }
    public var source: CredentialSource { .webIdentity }

    private static let variables = ["web_identity_token_file": "AWS_WEB_IDENTITY_TOKEN_FILE", "role_arn": "AWS_ROLE_ARN", "role_session_name": "AWS_ROLE_SESSION_NAME"]

    /// The setting and where it came from (for messages).
    private func setting(_ key: String, profile: [String: String]?) -> (value: String, origin: String)? {
        if useEnvironment, let variable = Self.variables[key], let value = context.environment[variable] { return (value, variable) }
        if let value = profile?[key] { return (value, "\(key) in profile '\(profileName)'") }
        return nil
    }

    public func credentials() async throws -> AWSCredentials? { try await resolve()?.credentials }

    public func resolve() async throws -> ResolvedCredentials? {
        let profile = try context.environment.sharedConfig().profile(profileName)
        guard let tokenFile = setting("web_identity_token_file", profile: profile) else { return nil }
        guard let roleArn = setting("role_arn", profile: profile) else {
            throw AWSConfigurationError(code: "IncompleteWebIdentity", message: "\(tokenFile.origin) is set but no role is: set AWS_ROLE_ARN, or role_arn in profile '\(profileName)'.")
        }
        guard let data = FileManager.default.contents(atPath: tokenFile.value) else {
            throw AWSConfigurationError(code: "WebIdentityTokenUnreadable", message: "The web identity token file '\(tokenFile.value)' (\(tokenFile.origin)) cannot be read.")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingWhitespace()
        guard !token.isEmpty else {
            throw AWSConfigurationError(code: "WebIdentityTokenUnreadable", message: "The web identity token file '\(tokenFile.value)' (\(tokenFile.origin)) is empty.")
        }
        let sessionName = setting("role_session_name", profile: profile)?.value ?? "keyrotator-\(Int(Date().timeIntervalSince1970))"
        let credentials = try await STSCredentialsClient(context: context).assumeRoleWithWebIdentity(
            [("RoleSessionName", sessionName), ("WebIdentityToken", token)], roleArn: roleArn.value, purpose: roleArn.origin)
        context.logger.debug("aws role assumed with web identity", metadata: ["role": "\(roleArn.value)", "sessionName": "\(sessionName)"])
        return ResolvedCredentials(credentials, sources: [.webIdentity])
    }
}
