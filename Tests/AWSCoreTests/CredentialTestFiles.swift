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

/// IAM calls the tests make as the moto harness user (which may call any IAM action).
enum MotoIAM {
    static func call(_ client: AWSClient, _ action: String, _ parameters: [(String, String)]) async throws {
        let form = ([("Action", action), ("Version", "2010-05-08")] + parameters)
            .map { AWSURIEncoding.encode($0.0) + "=" + AWSURIEncoding.encode($0.1) }.joined(separator: "&")
        _ = try await client.send(service: .iam, operation: action, method: .POST,
                                  headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"], body: Array(form.utf8))
    }

    /// Creates a role trusting `principal` (an exact ARN: moto matches no account root and no role
    /// ARN for assumed-role sessions) with an inline policy allowing `actions`; returns its ARN.
    static func createRole(_ moto: MotoServer, trusting principal: String, allowing actions: [String],
                           externalId: String? = nil) async throws -> String {
        let name = "kr-\(UUID().uuidString.prefix(8))"
        let condition = externalId.map { #","Condition":{"StringEquals":{"sts:ExternalId":"\#($0)"}}"# } ?? ""
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"\#(principal)"},"Action":"sts:AssumeRole"\#(condition)}]}"#
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[\#(actions.map { "\"\($0)\"" }.joined(separator: ","))],"Resource":"*"}]}"#
        let client = moto.client()
        try await call(client, "CreateRole", [("RoleName", name), ("AssumeRolePolicyDocument", trust)])
        try await call(client, "PutRolePolicy", [("RoleName", name), ("PolicyName", "allowed"), ("PolicyDocument", policy)])
        return "arn:aws:iam::123456789012:role/\(name)"
    }

    static let harnessUserArn = "arn:aws:iam::123456789012:user/keyrotator-harness"
}

/// Calls Secrets Manager ListSecrets, which the harness user may not call: the test roles may.
struct ListSecretsInput: Encodable {}
struct ListSecretsOutput: Decodable {}

extension AWSClient {
    func listSecrets() async throws {
        let _: ListSecretsOutput = try await json(service: .secretsManager, operation: "ListSecrets", input: ListSecretsInput())
    }
}
