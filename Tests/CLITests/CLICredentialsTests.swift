import AWSCore
import Foundation
import KeyMaterial
import LocalEmulator
import Testing
import TestSupport

/// The CLI with the credentials an operator's `~/.aws` gives it: an assume-role profile with
/// `mfa_serial` asks for the code on the terminal, fails plainly without one, and `--verbose`
/// names the source it resolved with a masked key id, never a key.
@Suite("keyrotator with profile credentials", .timeLimit(.minutes(3)))
struct CLICredentialsTests {
    static let serial = "arn:aws:iam::123456789012:mfa/operator"

    /// An environment that has no keys of its own: everything comes from the profile `mfa`, which
    /// assumes `role` with the harness user's keys from the credentials file.
    static func profileEnvironment(_ moto: MotoServer, role: String) throws -> [String: String] {
        var environment = try CLIProcess.motoEnvironment(moto)
        for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"] { environment[name] = nil }
        environment["AWS_PROFILE"] = "mfa"
        let home = environment["HOME"] ?? ""
        try FileManager.default.createDirectory(atPath: home + "/.aws", withIntermediateDirectories: true)
        try "[profile mfa]\nrole_arn = \(role)\nsource_profile = base\nmfa_serial = \(serial)\n"
            .write(toFile: home + "/.aws/config", atomically: true, encoding: .utf8)
        try "[base]\naws_access_key_id = \(moto.accessKeyId)\naws_secret_access_key = \(moto.secretAccessKey)\n"
            .write(toFile: home + "/.aws/credentials", atomically: true, encoding: .utf8)
        return environment
    }

    @Test("on a terminal the MFA code is asked for on /dev/tty and --verbose names the source, masked")
    func asksForTheMFACodeOnTheTerminal() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1)
        try await CLITestKit.deploy(client, scenario)
        let role = try await MotoIAM.createRole(moto, trusting: MotoIAM.harnessUserArn, allowing: ["secretsmanager:*", "cloudfront:*"])
        var environment = try Self.profileEnvironment(moto, role: role)
        environment["CLOUDFRONT_DISTRIBUTION_ID"] = scenario.distributionIds.joined(separator: ",")
        defer { try? FileManager.default.removeItem(atPath: environment["HOME"] ?? "") }

        // script(1) gives the CLI a pseudo-terminal as its controlling terminal and types stdin into it.
        let command = try [BuiltProduct.locate("keyrotator", override: "KEYROTATOR_CLI"), "origin", "status",
                           "--secret-id", scenario.secretName, "--verbose"].joined(separator: " ")
        let result = try await BuiltProduct.Running(executable: "/usr/bin/script", arguments: ["-qec", command, "/dev/null"],
                                                    environment: environment, standardInput: "482916\n").wait(timeout: .seconds(120))
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("Enter MFA code for \(Self.serial) (profile 'mfa'): "), "\(result)")
        #expect(result.stdout.contains("AWSCURRENT"), "\(result)")
        #expect(result.stdout.contains("source=assume-role"), "\(result)")
        #expect(result.stdout.contains("via=shared-credentials-file,assume-role"), "\(result)")
        #expect(result.stdout.contains("accessKeyId=****"), "\(result)")
        let leaked = [moto.secretAccessKey, moto.accessKeyId, scenario.initialValue].filter { result.stdout.contains($0) || result.stderr.contains($0) }
        #expect(leaked.isEmpty, "a key or the secret value appears in the output (\(leaked.count) of them)")
    }

    @Test("without a terminal an MFA profile fails with exit 3 and says a terminal is needed")
    func failsPlainlyWithoutATerminal() async throws {
        let (moto, _) = try await CLITestKit.moto()
        let role = try await MotoIAM.createRole(moto, trusting: MotoIAM.harnessUserArn, allowing: ["secretsmanager:*"])
        let environment = try Self.profileEnvironment(moto, role: role)
        defer { try? FileManager.default.removeItem(atPath: environment["HOME"] ?? "") }

        let result = try await CLIProcess.run(["origin", "status", "--secret-id", "any-secret"], environment: environment)
        #expect(result.exitCode == 3, "\(result)")
        #expect(result.stderr.contains("keyrotator: error: Profile 'mfa' needs an MFA code (mfa_serial \(Self.serial))"), "\(result)")
        #expect(result.stderr.contains("run the command on a terminal"), "\(result)")
        #expect(!result.stderr.contains("Enter MFA code"), "\(result)")
    }
}
