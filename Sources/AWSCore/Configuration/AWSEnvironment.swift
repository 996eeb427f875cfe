#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
/// The process environment the AWS layer reads its settings from: variables and the home
/// directory. Injected (never read globally inside the library) so that tests and tools can
/// describe exactly the environment they mean.
public struct AWSEnvironment: Sendable {
    /// Environment variables.
    public var variables: [String: String]
    /// The home directory used for `~/.aws/config` and `~/.aws/credentials`.
    public var homeDirectory: String?

    public init(variables: [String: String], homeDirectory: String? = nil) {
        self.variables = variables
        self.homeDirectory = homeDirectory ?? variables["HOME"]
    }

    /// The environment of the running process.
    public static var process: AWSEnvironment {
        AWSEnvironment(variables: ProcessInfo.processInfo.environment)
    }

    /// The variable's value, or nil when it is unset or empty (AWS SDKs treat both alike).
    public subscript(name: String) -> String? {
        guard let value = variables[name]?.trimmingWhitespace(), !value.isEmpty else { return nil }
        return value
    }

    /// The selected profile: `AWS_DEFAULT_PROFILE`, then `AWS_PROFILE`, then `default`. The order
    /// is botocore's (and so the AWS CLI's): when both are set, `aws` and KeyRotator agree.
    public var profileName: String { self["AWS_DEFAULT_PROFILE"] ?? self["AWS_PROFILE"] ?? "default" }

    /// Whether the profile was chosen explicitly (a missing explicit profile is an error).
    public var profileIsExplicit: Bool { self["AWS_PROFILE"] != nil || self["AWS_DEFAULT_PROFILE"] != nil }

    /// Path of the shared config file: `AWS_CONFIG_FILE` or `~/.aws/config`.
    public var configFilePath: String? { expand(self["AWS_CONFIG_FILE"]) ?? homeDirectory.map { $0 + "/.aws/config" } }

    /// Path of the shared credentials file: `AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/credentials`.
    public var credentialsFilePath: String? {
        expand(self["AWS_SHARED_CREDENTIALS_FILE"]) ?? homeDirectory.map { $0 + "/.aws/credentials" }
    }

    private func expand(_ path: String?) -> String? {
        guard let path else { return nil }
        if path == "~" { return homeDirectory ?? path }
        if path.hasPrefix("~/"), let home = homeDirectory { return home + path.dropFirst(1) }
        return path
    }

    /// The shared config and credentials files, parsed (missing files read as empty).
    public func sharedConfig() throws(AWSConfigurationError) -> SharedConfig {
        try SharedConfig.load(configFile: configFilePath, credentialsFile: credentialsFilePath)
    }
}
