import Foundation
public import LocalEmulator

/// An emulator IAM user whose policy is one function's policy in deploy/template.yaml (see
/// scripts/iam_user_from_template.py): the least-privilege proofs run the flows as these users.
public struct TemplatePolicyUser: Decodable, Sendable, CustomStringConvertible {
    public var accessKeyId: String
    public var secretAccessKey: String
    /// The template's IAM actions for the function.
    public var actions: [String]
    /// What those became for the emulator (moto names API Gateway actions by operation).
    public var operations: [String]

    /// Never the secret key, should an expectation print a user.
    public var description: String { "TemplatePolicyUser(\(accessKeyId), actions: \(actions))" }

    /// `environment` signed as this user.
    public func signing(_ environment: [String: String]) -> [String: String] {
        var environment = environment
        environment["AWS_ACCESS_KEY_ID"] = accessKeyId
        environment["AWS_SECRET_ACCESS_KEY"] = secretAccessKey
        environment.removeValue(forKey: "AWS_SESSION_TOKEN")
        return environment
    }

    /// Creates the user for `function` (a logical id of the template), without the action `drop`.
    public static func create(_ moto: MotoServer, function: String, drop: String? = nil) async throws -> TemplatePolicyUser {
        var environment = moto.environment()
        environment["PATH"] = "/usr/bin:/bin"
        let root = moto.repositoryRoot
        let result = try await BuiltProduct.Running(
            executable: moto.python.path,
            arguments: [root.appendingPathComponent("scripts/iam_user_from_template.py").path, root.appendingPathComponent("deploy/template.yaml").path, function]
                + (drop.map { ["--drop", $0] } ?? []),
            environment: environment).wait(timeout: .seconds(120))
        guard result.exitCode == 0 else { throw TemplatePolicyUserError(description: "iam_user_from_template.py \(function) failed: \(result.stderr)") }
        return try JSONDecoder().decode(TemplatePolicyUser.self, from: Data(result.stdout.utf8))
    }
}

public struct TemplatePolicyUserError: Error, CustomStringConvertible {
    public var description: String
}
