/// A problem with the local AWS configuration: what is missing or wrong, and what to set.
public struct AWSConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable code for programs, e.g. `MissingRegion`.
    public var code: String
    /// What is wrong and how to fix it.
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    static func missingRegion(profile: String) -> Self {
        Self(code: "MissingRegion", message: "No AWS region is configured: set AWS_REGION (or AWS_DEFAULT_REGION), or `region` in profile '\(profile)' of the shared config file.")
    }

    static func noCredentials(tried: [String]) -> Self {
        Self(code: "NoCredentials", message: "No AWS credentials found. Tried: \(tried.joined(separator: "; ")). Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE with a profile that has credentials.")
    }

    static func profileNotFound(_ name: String, files: [String]) -> Self {
        Self(code: "ProfileNotFound", message: "AWS profile '\(name)' was not found in \(files.isEmpty ? "the shared config files" : files.joined(separator: " or ")). Check AWS_PROFILE.")
    }

    static func malformedFile(_ path: String, line: Int, reason: String) -> Self {
        Self(code: "MalformedConfigFile", message: "\(path):\(line): \(reason)")
    }
}

extension AWSConfigurationError {
    static func ssoLoginRequired(profile: String, reason: String) -> Self {
        Self(code: "SSOLoginRequired", message: "\(reason) for profile '\(profile)': run `aws sso login --profile \(profile)` and try again.")
    }

    static func mfaRequired(profile: String, serial: String) -> Self {
        Self(code: "MFARequired", message: "Profile '\(profile)' needs an MFA code (mfa_serial \(serial)) and nothing can ask for one here: run the command on a terminal, or use a profile without mfa_serial.")
    }
}
