#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
/// Credentials printed by a profile's `credential_process` (the JSON document, Version 1). The
/// command runs with `/bin/sh -c` on a thread of its own and is killed after `timeout`.
public struct CredentialProcessProvider: CredentialProvider {
    public let profileName: String
    private let environment: AWSEnvironment
    private let timeout: Duration

    public init(profileName: String, environment: AWSEnvironment, timeout: Duration = .seconds(60)) {
        self.profileName = profileName
        self.environment = environment
        self.timeout = timeout
    }

    public var name: String { "credential_process of profile '\(profileName)'" }
    public var source: CredentialSource { .process }

    public func credentials() async throws -> AWSCredentials? {
        guard let command = try environment.sharedConfig().profile(profileName)?["credential_process"] else { return nil }
        let source = name
        let result = try await ChildProcess.runShell(command, environment: environment.variables, timeout: timeout)
        if result.timedOut {
            throw AWSConfigurationError(code: "CredentialProcessFailed", message: "\(source) did not finish within \(timeout) and was stopped: check the command, or run it by hand to see what it waits for.")
        }
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
