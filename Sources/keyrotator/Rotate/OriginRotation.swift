import AWSCore
import AWSServices
import KeyMaterial
import KeyRotation
import KeyRotationLive
import Logging

/// One rotation as `origin rotate` and `origin revoke` run it: by the rotation function (followed)
/// or with the steps run here, reported with its phases and where the secret and the
/// distributions stand at the end.
struct OriginRotation {
    let options: RotateOptions
    let environment: CommandEnvironment

    func run() async throws -> RotationReport {
        let progress = RotationProgress()
        defer { progress.finish() }
        let deadline = ContinuousClock.now + .seconds(options.timeout)
        var report = RotationReport(secretId: options.secret.secretId, mode: options.runStepsHere ? .here : .service, token: nil, outcome: .failed,
                                    elapsedSeconds: 0, phases: [], currentFingerprint: nil, distributions: [], message: nil)
        do {
            if options.runStepsHere {
                report.token = try await rotateHere(deadline: deadline, progress: progress)
                report.outcome = .rotated
            } else {
                try await follow(deadline: deadline, progress: progress, report: &report)
            }
        } catch let error as RotationError {
            report.message = "rotation failed (\(error.code.rawValue)): \(error.message)"
        }
        report.phases = progress.phases()
        report.elapsedSeconds = progress.elapsed.seconds
        progress.finish()
        report.currentFingerprint = try await Self.fingerprint(of: nil, options: options, environment: environment)
        for id in options.distributions.distributionIds {
            report.distributions.append(.init(id: id, status: try await CloudFrontClient(client: environment.client).getDistribution(id: id).status))
        }
        return report
    }

    private func rotateHere(deadline: ContinuousClock.Instant, progress: RotationProgress) async throws -> String {
        let configuration = CloudFrontRotationConfiguration(
            distributionIds: options.distributions.distributionIds, headerName: options.header.headerName, originURL: options.originURL,
            secretKeyName: options.secret.secretKeyName, secretKeyLength: options.secretKeyLength,
            deployPollInterval: .milliseconds(Int(options.pollInterval * 1000)), originCAFile: options.originCAFile,
            verifierCacheTTL: .milliseconds(Int(options.verifierCacheTTL * 1000)),
            verifierWaitMargin: .milliseconds(Int(options.verifierWaitMargin * 1000)))
        let rotator = CloudFrontRotator(configuration: configuration, client: environment.client)
        let logger = Logger(label: "keyrotator.rotation") { _ in RotationProgressLogHandler(progress: progress) }
        return try await rotator.rotateWithoutFunction(secretId: options.secret.secretId, deadline: deadline, logger: logger) { step in
            progress.phase(step.rawValue)
        }
    }

    private func follow(deadline: ContinuousClock.Instant, progress: RotationProgress, report: inout RotationReport) async throws {
        let follower = RotationFollower(secretsManager: SecretsManagerClient(client: environment.client), cloudFront: CloudFrontClient(client: environment.client),
                                        secretId: options.secret.secretId, secretKeyName: options.secret.secretKeyName,
                                        distributionIds: options.distributions.distributionIds, headerName: options.header.headerName,
                                        pollInterval: .milliseconds(Int(options.pollInterval * 1000)))
        let token = try await follower.start(progress: progress)
        report.token = token
        let (outcome, message) = try await follower.follow(token: token, deadline: deadline, progress: progress)
        report.outcome = outcome
        report.message = message
    }

    /// The fingerprint of a version's value (AWSCURRENT when `versionId` is nil); nil when it cannot be read.
    static func fingerprint(of versionId: String?, options: RotateOptions, environment: CommandEnvironment) async throws -> String? {
        let value = try? await SecretsManagerClient(client: environment.client).getSecretValue(secretId: options.secret.secretId, versionId: versionId)
        guard let text = value?.secretString,
              let current = try? SecretDocument(secretString: text, secretId: options.secret.secretId).value(forKey: options.secret.secretKeyName) else {
            return nil
        }
        return KeyMaterial.fingerprint(current)
    }
}

extension Duration {
    var seconds: Double { self / .seconds(1) }
}
