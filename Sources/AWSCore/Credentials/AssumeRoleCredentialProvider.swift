#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import Synchronization

/// A profile with `role_arn`: STS AssumeRole with the credentials of its `source_profile` (which
/// may itself assume a role: chains are followed, a cycle is an error) or of its
/// `credential_source` (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`), with
/// `external_id`, `role_session_name`, `duration_seconds` and `mfa_serial` (the code comes from the
/// context's `MFACodeProvider`). The source credentials are cached and refreshed on their own.
/// A profile that also has `web_identity_token_file` is left to `WebIdentityCredentialProvider`.
public final class AssumeRoleCredentialProvider: CredentialProvider {
    public let profileName: String
    private let context: CredentialContext
    /// The profiles already on this chain, outermost first (cycle detection).
    private let visited: [String]
    private let plan = Mutex<Plan?>(nil)

    struct Plan: Sendable {
        var roleArn: String
        var parameters: [(name: String, value: String)]
        var mfaSerial: String?
        var source: CredentialCache
        var sourceName: String
    }

    public convenience init(profileName: String, context: CredentialContext) {
        self.init(profileName: profileName, context: context, visited: [profileName])
    }

    init(profileName: String, context: CredentialContext, visited: [String]) {
        self.profileName = profileName
        self.context = context
        self.visited = visited
    }

    public var name: String { "assume role (role_arn in profile '\(profileName)')" }
    public var source: CredentialSource { .assumeRole }

    static func assumesRole(_ profile: [String: String]) -> Bool {
        profile["role_arn"] != nil && profile["web_identity_token_file"] == nil
    }

    static func hasStaticKeys(_ profile: [String: String]) -> Bool {
        profile["aws_access_key_id"] != nil || profile["aws_secret_access_key"] != nil
    }

    public func credentials() async throws -> AWSCredentials? { try await resolve()?.credentials }

    public func resolve() async throws -> ResolvedCredentials? {
        let config = try context.environment.sharedConfig()
        guard let profile = config.profile(profileName), Self.assumesRole(profile) else { return nil }
        let plan = try self.plan.withLock { (cached: inout Plan?) throws(AWSConfigurationError) -> Plan in
            if let cached { return cached }
            let made = try makePlan(profile, config: config)
            cached = made
            return made
        }
        let source: ResolvedCredentials
        do {
            source = try await plan.source.resolve()
        } catch let error as AWSConfigurationError where error.code == "NoCredentials" {
            throw AWSConfigurationError(code: "NoSourceCredentials", message: "Profile '\(profileName)' assumes \(plan.roleArn) with the credentials of \(plan.sourceName), which has none: give it credentials or fix source_profile / credential_source.")
        }
        var parameters = plan.parameters
        if let serial = plan.mfaSerial {
            guard let ask = context.mfaCodeProvider else { throw AWSConfigurationError.mfaRequired(profile: profileName, serial: serial) }
            let code = try await ask(serial, profileName).trimmingWhitespace()
            guard !code.isEmpty else {
                throw AWSConfigurationError(code: "MFARequired", message: "No MFA code was entered for profile '\(profileName)' (mfa_serial \(serial)).")
            }
            parameters += [("SerialNumber", serial), ("TokenCode", code)]
        }
        let credentials = try await STSCredentialsClient(context: context).assumeRole(
            parameters, signedWith: source.credentials, roleArn: plan.roleArn, purpose: "profile '\(profileName)'")
        context.logger.debug("aws role assumed", metadata: [
            "profile": "\(profileName)", "role": "\(plan.roleArn)", "via": "\(source.sources.map(\.rawValue).joined(separator: ","))",
        ])
        return ResolvedCredentials(credentials, sources: source.sources + [.assumeRole])
    }

    private func makePlan(_ profile: [String: String], config: SharedConfig) throws(AWSConfigurationError) -> Plan {
        guard let roleArn = profile["role_arn"] else { throw AWSConfigurationError(code: "InvalidRoleProfile", message: "Profile '\(profileName)' has no role_arn.") }
        var parameters: [(name: String, value: String)] = [
            ("RoleSessionName", profile["role_session_name"] ?? "keyrotator-\(Int(Date().timeIntervalSince1970))"),
        ]
        if let externalId = profile["external_id"] { parameters.append(("ExternalId", externalId)) }
        if let duration = profile["duration_seconds"] {
            // STS accepts 900 s up to the role's maximum session duration, at most 43200 s (12 h).
            guard let seconds = Int(duration), (900...43_200).contains(seconds) else {
                throw AWSConfigurationError(code: "InvalidRoleProfile", message: "duration_seconds in profile '\(profileName)' must be a whole number of seconds from 900 to 43200 (STS's limits); got '\(duration)'. Fix it in the shared config file, or remove it for STS's default of 3600.")
            }
            parameters.append(("DurationSeconds", String(seconds)))
        }
        let sourceProvider: any CredentialProvider
        let sourceName: String
        switch (profile["source_profile"], profile["credential_source"]) {
        case (.some, .some):
            throw AWSConfigurationError(code: "InvalidRoleProfile", message: "Profile '\(profileName)' has both source_profile and credential_source: keep one.")
        case (nil, nil):
            throw AWSConfigurationError(code: "InvalidRoleProfile", message: "Profile '\(profileName)' has role_arn but neither source_profile nor credential_source: add one, e.g. source_profile = default.")
        case let (nil, .some(named)):
            sourceName = "credential_source \(named)"
            switch named {
            case "Environment": sourceProvider = EnvironmentCredentialProvider(environment: context.environment)
            case "Ec2InstanceMetadata": sourceProvider = InstanceMetadataCredentialProvider(context: context)
            case "EcsContainer": sourceProvider = ContainerCredentialProvider(context: context)
            default:
                throw AWSConfigurationError(code: "InvalidRoleProfile", message: "credential_source '\(named)' in profile '\(profileName)' is not valid: use Environment, Ec2InstanceMetadata or EcsContainer.")
            }
        case let (.some(sourceProfile), nil):
            sourceName = "source_profile '\(sourceProfile)'"
            guard let source = config.profile(sourceProfile) else {
                throw AWSConfigurationError(code: "InvalidRoleProfile", message: "source_profile '\(sourceProfile)' of profile '\(profileName)' does not exist in \(config.filesRead.isEmpty ? "the shared config files" : config.filesRead.joined(separator: " or ")).")
            }
            if visited.contains(sourceProfile) && (sourceProfile != profileName || !Self.hasStaticKeys(source)) {
                throw AWSConfigurationError(code: "InfiniteLoopConfig", message: "Profiles form a source_profile cycle: \((visited + [sourceProfile]).joined(separator: " -> ")). Point one of them at a profile with its own credentials.")
            }
            if Self.hasStaticKeys(source) || !Self.assumesRole(source) {
                sourceProvider = ProfileCredentialProvider(profileName: sourceProfile, context: context, useEnvironment: false)
            } else {
                sourceProvider = AssumeRoleCredentialProvider(profileName: sourceProfile, context: context, visited: visited + [sourceProfile])
            }
        }
        let mfaSerial = profile["mfa_serial"]
        return Plan(roleArn: roleArn, parameters: parameters, mfaSerial: mfaSerial, source: CredentialCache(provider: sourceProvider), sourceName: sourceName)
    }
}
