@testable import AWSCore
import Foundation
import NIOHTTP1
import TestSupport

/// Temporary homes with shared config files, and environments that never leave loopback.
enum CredentialTestFiles {
    /// A fresh HOME with `.aws/config` and `.aws/credentials` (either may be nil) and extra files.
    static func home(config: String? = nil, credentials: String? = nil, files: [String: String] = [:]) throws -> String {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("keyrotator-home-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home + "/.aws/sso/cache", withIntermediateDirectories: true)
        if let config { try config.write(toFile: home + "/.aws/config", atomically: true, encoding: .utf8) }
        if let credentials { try credentials.write(toFile: home + "/.aws/credentials", atomically: true, encoding: .utf8) }
        for (name, text) in files { try text.write(toFile: home + "/" + name, atomically: true, encoding: .utf8) }
        return home
    }

    /// Runs `body` with a fresh HOME, removed afterwards.
    static func withHome<T>(config: String? = nil, credentials: String? = nil, files: [String: String] = [:],
                            _ body: (String) async throws -> T) async throws -> T {
        let home = try home(config: config, credentials: credentials, files: files)
        defer { try? FileManager.default.removeItem(atPath: home) }
        return try await body(home)
    }

    /// Exactly `variables`, with this HOME, IMDS off and a minimal PATH.
    static func environment(_ variables: [String: String], home: String) -> AWSEnvironment {
        AWSEnvironment(variables: ["HOME": home, "AWS_EC2_METADATA_DISABLED": "true", "PATH": "/usr/bin:/bin"].merging(variables) { _, new in new })
    }
}

/// Calls Secrets Manager ListSecrets, which the harness user may not call: the test roles may.
struct ListSecretsInput: Encodable {}
struct ListSecretsOutput: Decodable {}

extension AWSClient {
    func listSecrets() async throws {
        let _: ListSecretsOutput = try await json(service: .secretsManager, operation: "ListSecrets", input: ListSecretsInput())
    }
}
