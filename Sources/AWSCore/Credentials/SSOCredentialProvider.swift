#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
import Logging

/// IAM Identity Center (SSO): the profile's `sso_session` (with its `[sso-session NAME]`
/// section) or the older `sso_start_url`/`sso_region` keys, plus `sso_account_id` and
/// `sso_role_name`. Reads the token `aws sso login` cached in `~/.aws/sso/cache` and exchanges it
/// with the portal's GetRoleCredentials. It never logs in itself: a missing or expired token is
/// an error that says to run `aws sso login --profile NAME`.
public struct SSOCredentialProvider: CredentialProvider {
    public let profileName: String
    private let context: CredentialContext

    public init(profileName: String, context: CredentialContext) {
        self.profileName = profileName
        self.context = context
    }

    public var name: String { "IAM Identity Center (sso_* in profile '\(profileName)')" }
    public var source: CredentialSource { .sso }

    struct Settings: Equatable {
        var startURL: String
        var region: String
        var accountId: String
        var roleName: String
        /// The `sso-session` name; nil for the older per-profile form.
        var sessionName: String?
    }

    /// The profile's SSO settings, nil when it has none, or an error naming what is missing.
    func settings(_ config: SharedConfig) throws(AWSConfigurationError) -> Settings? {
        guard let profile = config.profile(profileName), profile["sso_account_id"] != nil || profile["sso_role_name"] != nil else { return nil }
        var merged = profile
        var required = ["sso_role_name", "sso_account_id", "sso_start_url", "sso_region"]
        if let sessionName = profile["sso_session"] {
            guard let session = config.ssoSessions[sessionName] else {
                throw AWSConfigurationError(code: "InvalidSSOConfiguration", message: "Profile '\(profileName)' names sso_session '\(sessionName)', but the config file has no [sso-session \(sessionName)] section.")
            }
            for (key, value) in session {
                if let own = profile[key], own != value {
                    throw AWSConfigurationError(code: "InvalidSSOConfiguration", message: "\(key) differs between profile '\(profileName)' and [sso-session \(sessionName)]: keep one.")
                }
                merged[key] = value
            }
            required.append("sso_session")
        }
        let missing = required.filter { merged[$0] == nil }
        guard missing.isEmpty,
              let startURL = merged["sso_start_url"], let region = merged["sso_region"],
              let accountId = merged["sso_account_id"], let roleName = merged["sso_role_name"]
        else {
            throw AWSConfigurationError(code: "InvalidSSOConfiguration", message: "Profile '\(profileName)' is configured for IAM Identity Center but lacks \(missing.joined(separator: ", ")): run `aws configure sso --profile \(profileName)`.")
        }
        return Settings(startURL: startURL, region: region, accountId: accountId, roleName: roleName, sessionName: merged["sso_session"])
    }

    /// Where `aws sso login` caches the token: `~/.aws/sso/cache/<sha1 of the session name, or of the start URL>.json`.
    func tokenCachePath(_ settings: Settings) -> String? {
        guard let home = context.environment.homeDirectory else { return nil }
        let key = Insecure.SHA1.hash(data: Array((settings.sessionName ?? settings.startURL).utf8)).hexString
        return home + "/.aws/sso/cache/" + key + ".json"
    }

    private struct CachedToken: Decodable {
        var accessToken: String?
        var expiresAt: String?
    }

    public func credentials() async throws -> AWSCredentials? { try await resolve()?.credentials }

    public func resolve() async throws -> ResolvedCredentials? {
        guard let settings = try settings(try context.environment.sharedConfig()) else { return nil }
        guard let path = tokenCachePath(settings), let data = FileManager.default.contents(atPath: path) else {
            throw AWSConfigurationError.ssoLoginRequired(profile: profileName, reason: "No cached IAM Identity Center token was found")
        }
        guard let token = try? JSONDecoder().decode(CachedToken.self, from: data), let accessToken = token.accessToken, !accessToken.isEmpty,
              let expiresText = token.expiresAt
        else {
            throw AWSConfigurationError.ssoLoginRequired(profile: profileName, reason: "The cached IAM Identity Center token at \(path) is unreadable")
        }
        // Older CLIs wrote `2019-11-14T04:05:45UTC`.
        let normalized = expiresText.hasSuffix("UTC") ? String(expiresText.dropLast(3)) + "Z" : expiresText
        guard let expiresAt = AWSTimestamp.parseISO8601(normalized), expiresAt > Date() else {
            throw AWSConfigurationError.ssoLoginRequired(profile: profileName, reason: "The cached IAM Identity Center token has expired")
        }
        let credentials = try await SSOPortalClient(context: context).roleCredentials(
            accessToken: accessToken, roleName: settings.roleName, accountId: settings.accountId, region: settings.region, profile: profileName)
        context.logger.debug("aws sso role credentials fetched", metadata: ["profile": "\(profileName)", "role": "\(settings.roleName)", "account": "\(settings.accountId)"])
        return ResolvedCredentials(credentials, sources: [.sso])
    }
}
