import AWSCore
import AWSServices
import Foundation
import KeyMaterial
import Testing
import TestSupport

/// `origin doctor`, `origin probe` and `origin revoke` given a secret or a distribution that is not
/// what they expect, against moto: each says what is wrong and what to fix, exits as its help
/// documents, prints no value (fingerprints only), and the emulator holds afterwards exactly what
/// it held before. (`origin status`, `origin rotate` and the `apikeys` commands: `CLIBadInputTests`.)
@Suite(.timeLimit(.minutes(8))) struct OriginBadInputCLITests {
    /// Secret strings the product cannot use; `VALUE` is replaced by a fresh random value, which must never be printed.
    static let brokenSecrets = [
        ("not JSON", "VALUE is not JSON"),
        ("missing its key", #"{"OTHER_KEY":"VALUE"}"#),
        ("the key of the wrong type", #"{"HTTP_API_KEY":12345,"other":"VALUE"}"#),
        ("the key null", #"{"HTTP_API_KEY":null,"other":"VALUE"}"#),
        ("truncated", #"{"HTTP_API_KEY":"VALUE"#),
        ("a JSON array", #"["HTTP_API_KEY","VALUE"]"#),
    ]

    /// A scenario whose `AWSCURRENT` now holds `template` (with `VALUE` replaced); the values the output must not show.
    struct Broken {
        var moto: MotoServer
        var client: AWSClient
        var scenario: OriginSecretScenario
        var environment: [String: String]
        var values: [String]

        func capture() async throws -> EmulatorState {
            try await EmulatorState.capture(client, secrets: [scenario.secretName], distributions: scenario.distributionIds)
        }

        /// `text` with every value replaced by its fingerprint, for a failure message.
        func redacted(_ text: String) -> String {
            redacting(values, in: text)
        }

        /// Expects the secret and the distribution to hold what they held in `before`.
        func expectUnchanged(since before: EmulatorState, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let differences = try await capture().differences(from: before)
            #expect(differences.isEmpty, "\(name): nothing changed: \(differences)", sourceLocation: sourceLocation)
        }

        func leaks(_ result: CLIProcess.Result) -> Bool {
            values.contains { result.stdout.contains($0) || result.stderr.contains($0) }
        }
    }

    static func broken(_ template: String?, headerOnOrigins: Bool = true) async throws -> Broken {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1, headerOnOrigins: headerOnOrigins)
        var values = [scenario.initialValue]
        if let template {
            let value = SecretGenerator().generate(length: 32)
            values.append(value)
            _ = try await SecretsManagerClient(client: client).putSecretValue(
                secretId: scenario.secretName, clientRequestToken: UUID().uuidString,
                secretString: template.replacingOccurrences(of: "VALUE", with: value), versionStages: ["AWSCURRENT"])
        }
        try await CLITestKit.deploy(client, scenario)
        return Broken(moto: moto, client: client, scenario: scenario, environment: try CLIProcess.motoEnvironment(moto), values: values)
    }

    static func doctorArguments(_ scenario: OriginSecretScenario) -> [String] {
        ["origin", "doctor", "--secret-id", scenario.secretName, "--distribution-id", scenario.distributionIds.joined(separator: ","),
         "--header-name", scenario.headerName]
    }

    static func revokeArguments(_ scenario: OriginSecretScenario) -> [String] {
        ["origin", "revoke", "--secret-id", scenario.secretName, "--distribution-id", scenario.distributionIds.joined(separator: ","),
         "--header-name", scenario.headerName, "--run-steps-here", "--poll-interval", "0.05", "--timeout", "60",
         "--verifier-cache-ttl", "0", "--verifier-wait-margin", "0"]
    }

    static func checks(_ report: [String: Any]) -> [String: [String: Any]] {
        Dictionary(CLITestKit.array(report["checks"]).map { ($0["name"] as? String ?? "?", $0) }) { first, _ in first }
    }

    @Test(arguments: brokenSecrets)
    func doctorReportsABrokenSecretAsAProblemWithItsFixAndChangesNothing(name: String, template: String) async throws {
        let broken = try await Self.broken(template)
        let before = try await broken.capture()
        let json = try await CLIProcess.run(Self.doctorArguments(broken.scenario) + ["--json"], environment: broken.environment)
        #expect(json.exitCode == 1, "\(name): a problem is exit 1: \(broken.redacted(json.stderr))")
        let secret = Self.checks(try json.json())["secret"]
        #expect(secret?["status"] as? String == "problem", "\(name)")
        let finding = secret?["finding"] as? String ?? ""
        #expect(finding.contains(broken.scenario.secretName) && (finding.contains("HTTP_API_KEY") || finding.contains("JSON")),
                "\(name): names the secret and what is wrong: \(broken.redacted(finding))")
        #expect((secret?["fix"] as? String)?.contains("--secret-key-name") == true, "\(name): says what to fix")
        let text = try await CLIProcess.run(Self.doctorArguments(broken.scenario), environment: broken.environment)
        #expect(text.exitCode == 1 && text.stdout.contains("PROBLEM secret:"), "\(name): \(broken.redacted(text.stdout))")
        #expect(!broken.leaks(json) && !broken.leaks(text), "\(name): no value printed")
        try await broken.expectUnchanged(since: before, name)
    }

    @Test(arguments: brokenSecrets)
    func probeRefusesABrokenSecretBeforeSendingAnyRequest(name: String, template: String) async throws {
        let broken = try await Self.broken(template)
        let before = try await broken.capture()
        try await TestOrigin.with(accepting: [broken.scenario.initialValue], headerName: broken.scenario.headerName) { origin in
            let result = try await CLIProcess.run(["origin", "probe", "--origin-url", origin.endpoint, "--secret-id", broken.scenario.secretName,
                                                   "--header-name", broken.scenario.headerName], environment: broken.environment)
            #expect(result.exitCode == 3, "\(name): a misconfigured secret is exit 3: \(broken.redacted(result.stderr))")
            #expect(result.stderr.contains(broken.scenario.secretName) && (result.stderr.contains("HTTP_API_KEY") || result.stderr.contains("JSON")),
                    "\(name): names the secret and what is wrong: \(broken.redacted(result.stderr))")
            #expect(!result.stderr.contains("rotation failed"), "\(name): a probe is no rotation: \(broken.redacted(result.stderr))")
            #expect(origin.requests.isEmpty, "\(name): nothing was sent to the origin")
            #expect(!broken.leaks(result), "\(name): no value printed")
        }
        try await broken.expectUnchanged(since: before, name)
    }

    @Test(arguments: brokenSecrets)
    func revokeOfABrokenSecretRevokesNothingAndSaysWhy(name: String, template: String) async throws {
        let broken = try await Self.broken(template)
        let before = try await broken.capture()
        let result = try await CLIProcess.run(Self.revokeArguments(broken.scenario), environment: broken.environment)
        #expect(result.exitCode == 1, "\(name): a failed rotation is exit 1: \(broken.redacted(result.stderr))")
        let said = result.stdout + result.stderr
        #expect(said.contains("NOT revoked") && said.contains("FAILED"), "\(name): \(broken.redacted(said))")
        #expect(said.contains("HTTP_API_KEY") || said.contains("JSON"), "\(name): says what is wrong: \(broken.redacted(said))")
        #expect(!broken.leaks(result), "\(name): no value printed")
        try await broken.expectUnchanged(since: before, name)
    }

    @Test func doctorAndRevokeNameADistributionWithoutTheHeaderAndChangeNothing() async throws {
        let broken = try await Self.broken(nil, headerOnOrigins: false)
        let (scenario, distribution) = (broken.scenario, broken.scenario.distributionIds[0])
        let before = try await broken.capture()
        let doctor = try await CLIProcess.run(Self.doctorArguments(scenario) + ["--json"], environment: broken.environment)
        #expect(doctor.exitCode == 1, "\(broken.redacted(doctor.stderr))")
        let check = Self.checks(try doctor.json())["distributions"]
        let finding = check?["finding"] as? String ?? ""
        #expect(check?["status"] as? String == "problem" && finding.contains(distribution) && finding.contains(scenario.headerName),
                "names the distribution and the header: \(broken.redacted(finding))")
        #expect(Self.checks(try doctor.json())["secret"]?["status"] as? String == "ok", "the secret itself is fine")
        let revoke = try await CLIProcess.run(Self.revokeArguments(scenario), environment: broken.environment)
        #expect(revoke.exitCode == 1)
        let said = revoke.stdout + revoke.stderr
        #expect(said.contains("NOT revoked") && said.contains(distribution) && said.contains(scenario.headerName),
                "names the distribution and the header: \(broken.redacted(said))")
        #expect(!broken.leaks(doctor) && !broken.leaks(revoke), "no value printed")
        try await broken.expectUnchanged(since: before, "doctor and revoke")
    }
}
