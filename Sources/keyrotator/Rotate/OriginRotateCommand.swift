import ArgumentParser
import AWSCore
import AWSServices
import KeyMaterial
import KeyRotation
import KeyRotationLive
import Logging

/// `keyrotator origin rotate`: rotates the origin secret and follows the rotation to the end.
struct OriginRotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Rotate the origin secret now and follow the rotation to the end.",
        discussion: """
        By default asks Secrets Manager to rotate (RotateSecret, immediately) with the secret's \
        configured rotation function, and follows it: the pending value appears (createSecret), \
        the origins send it (setSecret), the distributions become Deployed and the new version \
        becomes AWSCURRENT (finishSecret). A rotation already under way is followed, not restarted.

        With --run-steps-here the four steps run in this process, with the same code as the \
        Lambda function: for a secret without a deployed rotation function (break-glass) or a \
        local emulator. It needs --distribution-id (or CLOUDFRONT_DISTRIBUTION_ID) and probes \
        --origin-url in testSecret when given. Re-running after a failure resumes the rotation.

        Progress goes to stderr: redrawn in place on a terminal (step, waiting for Deployed, \
        elapsed time), plain lines otherwise. The result goes to stdout; --json prints one \
        object: secretId, mode (service|here), token, outcome (rotated|failed|timedOut), \
        elapsedSeconds, phases [{name, seconds}], currentFingerprint, distributions [{id, \
        status}], message.

        \(ExitStatus.helpText)
        """
    )

    @OptionGroup var secret: SecretOptions
    @OptionGroup var distributions: DistributionOptions
    @OptionGroup var header: HeaderOptions
    @Flag(name: .customLong("run-steps-here"), help: "Run createSecret, setSecret, testSecret and finishSecret in this process instead of the rotation function.")
    var runStepsHere = false
    @Option(name: .customLong("origin-url"), help: "With --run-steps-here: the origin testSecret probes (the Lambda's ORIGIN_URL).")
    var originURL: String?
    @Option(name: .customLong("origin-ca-file"), help: "With --origin-url: a PEM file of CAs to trust besides the system's, for an HTTPS origin with a private CA (the Lambda's ORIGIN_CA_FILE).")
    var originCAFile: String?
    @Option(name: .customLong("secret-key-length"), help: "With --run-steps-here: length of the new value (the Lambda's SECRET_KEY_LENGTH).")
    var secretKeyLength: Int = 32
    @Option(name: .customLong("verifier-cache-ttl"), help: "With --run-steps-here: the longest any verifier caches the secret, in seconds; setSecret waits this long after the pending value exists before any origin sends it (the Lambda's VERIFIER_CACHE_TTL_SECONDS).")
    var verifierCacheTTL: Double = 60
    @Option(name: .customLong("verifier-wait-margin"), help: "With --run-steps-here: seconds added to --verifier-cache-ttl for clock skew (the Lambda's VERIFIER_WAIT_MARGIN_SECONDS).")
    var verifierWaitMargin: Double = 5
    @Option(name: .customLong("timeout"), help: "Seconds to wait for the rotation to finish (CloudFront can take minutes to deploy).")
    var timeout: Int = 1800
    @Option(name: .customLong("poll-interval"), help: "Seconds between polls of the secret and the distributions.")
    var pollInterval: Double = 2
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let originURL { try validateOriginURL(originURL) }
        guard (16...1024).contains(secretKeyLength) else { throw ValidationError("--secret-key-length must be from 16 to 1024.") }
        guard timeout > 0 else { throw ValidationError("--timeout must be a positive number of seconds.") }
        guard (0...3600).contains(verifierCacheTTL), (0...3600).contains(verifierWaitMargin) else {
            throw ValidationError("--verifier-cache-ttl and --verifier-wait-margin must be from 0 to 3600 seconds.")
        }
        guard pollInterval > 0, pollInterval <= 60 else { throw ValidationError("--poll-interval must be more than 0 and at most 60 seconds.") }
        if runStepsHere && distributions.distributionIds.isEmpty {
            throw ValidationError("--run-steps-here needs --distribution-id (or CLOUDFRONT_DISTRIBUTION_ID): the distributions whose origins send the header.")
        }
        if originCAFile != nil && originURL == nil {
            throw ValidationError("--origin-ca-file applies to --origin-url.")
        }
        if originURL != nil && !runStepsHere {
            throw ValidationError("--origin-url applies to --run-steps-here; the rotation function probes its own ORIGIN_URL.")
        }
    }

    func run() async throws {
        try await CommandEnvironment.run(secretId: secret.secretId, verbose: output.verbose) { environment in
            let progress = RotationProgress()
            defer { progress.finish() }
            let deadline = ContinuousClock.now + .seconds(timeout)
            var report = RotationReport(secretId: secret.secretId, mode: runStepsHere ? .here : .service, token: nil, outcome: .failed,
                                        elapsedSeconds: 0, phases: [], currentFingerprint: nil, distributions: [], message: nil)
            do {
                if runStepsHere {
                    report.token = try await rotateHere(environment, deadline: deadline, progress: progress)
                    report.outcome = .rotated
                } else {
                    try await follow(environment, deadline: deadline, progress: progress, report: &report)
                }
            } catch let error as RotationError {
                report.message = "rotation failed (\(error.code.rawValue)): \(error.message)"
            }
            report.phases = progress.phases()
            report.elapsedSeconds = progress.elapsed.seconds
            progress.finish()
            report.currentFingerprint = try await currentFingerprint(environment)
            for id in distributions.distributionIds {
                report.distributions.append(.init(id: id, status: try await CloudFrontClient(client: environment.client).getDistribution(id: id).status))
            }
            if output.json { try Console.printJSON(report) } else { Console.out(report.text) }
            return report.outcome == .rotated ? .ok : .failed
        }
    }

    private func rotateHere(_ environment: CommandEnvironment, deadline: ContinuousClock.Instant, progress: RotationProgress) async throws -> String {
        let configuration = CloudFrontRotationConfiguration(
            distributionIds: distributions.distributionIds, headerName: header.headerName, originURL: originURL,
            secretKeyName: secret.secretKeyName, secretKeyLength: secretKeyLength, deployPollInterval: .milliseconds(Int(pollInterval * 1000)),
            originCAFile: originCAFile, verifierCacheTTL: .milliseconds(Int(verifierCacheTTL * 1000)),
            verifierWaitMargin: .milliseconds(Int(verifierWaitMargin * 1000)))
        let rotator = CloudFrontRotator(configuration: configuration, client: environment.client)
        let logger = Logger(label: "keyrotator.rotation") { _ in RotationProgressLogHandler(progress: progress) }
        return try await rotator.rotateWithoutFunction(secretId: secret.secretId, deadline: deadline, logger: logger) { step in
            progress.phase(step.rawValue)
        }
    }

    private func follow(_ environment: CommandEnvironment, deadline: ContinuousClock.Instant, progress: RotationProgress,
                        report: inout RotationReport) async throws {
        let follower = RotationFollower(secretsManager: SecretsManagerClient(client: environment.client), cloudFront: CloudFrontClient(client: environment.client),
                                        secretId: secret.secretId, secretKeyName: secret.secretKeyName, distributionIds: distributions.distributionIds,
                                        headerName: header.headerName, pollInterval: .milliseconds(Int(pollInterval * 1000)))
        let token = try await follower.start(progress: progress)
        report.token = token
        let (outcome, message) = try await follower.follow(token: token, deadline: deadline, progress: progress)
        report.outcome = outcome
        report.message = message
    }

    private func currentFingerprint(_ environment: CommandEnvironment) async throws -> String? {
        let value = try? await SecretsManagerClient(client: environment.client).getSecretValue(secretId: secret.secretId)
        guard let text = value?.secretString, let current = try? SecretDocument(secretString: text, secretId: secret.secretId).value(forKey: secret.secretKeyName) else {
            return nil
        }
        return fingerprint(current)
    }
}

extension Duration {
    var seconds: Double { self / .seconds(1) }
}
