import ArgumentParser
import AWSCore
import AWSServices
import KeyMaterial
import KeyRotation
import KeyRotationLive

/// `keyrotator origin probe`: does the origin accept the secret's values and reject a wrong one?
struct OriginProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Check that the origin accepts the current and pending values and rejects a wrong one.",
        discussion: """
        Sends GET <origin-url> with the header set to the AWSCURRENT value, the AWSPENDING value \
        (when a rotation is under way) and a random wrong value. The origin must answer the first \
        two with anything but 401/403/5xx and the wrong one with 401 or 403. Exits 1 otherwise.

        --json prints one object: originURL, headerName, secretId, checks [{value: \
        current|pending|wrong, fingerprint, expected: accept|reject, outcome: \
        accepted|rejected|error, httpStatus, message, ok}], ok.

        \(ExitStatus.helpText)
        """
    )

    @Option(name: .customLong("origin-url"), help: "The origin URL to probe, bypassing CloudFront (the Lambda's ORIGIN_URL).")
    var originURL: String
    @OptionGroup var secret: SecretOptions
    @OptionGroup var header: HeaderOptions
    @Option(name: .customLong("secret-key-length"), help: "Length of the random wrong value (the Lambda's SECRET_KEY_LENGTH).")
    var secretKeyLength: Int = 32
    @Option(name: .customLong("probe-timeout"), help: "Seconds one probe request may take.")
    var probeTimeout: Int = 5
    @Option(name: .customLong("origin-ca-file"), help: "A PEM file of CAs to trust besides the system's, for an HTTPS origin with a private CA (the Lambda's ORIGIN_CA_FILE).")
    var originCAFile: String?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try validateOriginURL(originURL)
        guard (16...1024).contains(secretKeyLength) else { throw ValidationError("--secret-key-length must be from 16 to 1024.") }
        guard (1...300).contains(probeTimeout) else { throw ValidationError("--probe-timeout must be from 1 to 300 seconds.") }
    }

    func run() async throws {
        try await CommandEnvironment.run(secretId: secret.secretId, verbose: output.verbose) { environment in
            let secrets = SecretsManagerClient(client: environment.client)
            var candidates: [(label: String, value: String, expected: ProbeReport.Check.Expectation)] = []
            let description = try await secrets.describeSecret(secretId: secret.secretId)
            guard let current = try await value(secrets, stage: .current, version: nil) else {
                throw CLIError(.awsOrConfiguration, "secret \(secret.secretId) has no string under \(secret.secretKeyName) in its AWSCURRENT version: check --secret-key-name, or store {\"\(secret.secretKeyName)\": \"<value>\"} in the secret.")
            }
            candidates.append(("current", current, .accept))
            if let pendingVersion = description.version(withStage: .pending), pendingVersion != description.version(withStage: .current),
               let pending = try await value(secrets, stage: .pending, version: pendingVersion), pending != current {
                candidates.append(("pending", pending, .accept))
            }
            candidates.append(("wrong", SecretGenerator().generate(length: secretKeyLength), .reject))

            let probe = HTTPOriginProbe(url: originURL, headerName: header.headerName, timeout: .seconds(probeTimeout), trustedCAFile: originCAFile)
            var checks: [ProbeReport.Check] = []
            for candidate in candidates {
                var check = ProbeReport.Check(value: candidate.label, fingerprint: fingerprint(candidate.value), expected: candidate.expected,
                                              outcome: .error, httpStatus: nil, message: nil)
                do {
                    switch try await probe.probe(value: candidate.value, label: "\(candidate.label) value") {
                    case let .accepted(status): (check.outcome, check.httpStatus) = (.accepted, status)
                    case let .rejected(status): (check.outcome, check.httpStatus) = (.rejected, status)
                    }
                } catch let error as RotationError {
                    check.message = error.message
                }
                checks.append(check)
            }
            let report = ProbeReport(originURL: originURL, headerName: header.headerName, secretId: secret.secretId, checks: checks)
            if output.json { try Console.printJSON(report) } else { Console.out(report.text) }
            return report.ok ? .ok : .failed
        }
    }

    private func value(_ secrets: SecretsManagerClient, stage: StagingLabel, version: String?) async throws -> String? {
        try await secrets.keyValue(secret.secretKeyName, secretId: secret.secretId, versionId: version, stage: stage)
    }
}
