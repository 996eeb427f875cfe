import AWSCore
import AWSServices
import Foundation
import KeyMaterial
import KeyRotation

/// Starts a rotation through Secrets Manager (`RotateSecret`) and follows it by polling: the
/// pending value appears (createSecret), origins send it (setSecret), distributions deploy, and
/// the version becomes `AWSCURRENT` (finishSecret).
struct RotationFollower {
    let secretsManager: SecretsManagerClient
    let cloudFront: CloudFrontClient
    let secretId: String
    let secretKeyName: String
    let distributionIds: [String]
    let headerName: String
    let pollInterval: Duration

    /// Asks Secrets Manager to rotate now, or joins the rotation already under way. Returns the token.
    func start(progress: RotationProgress) async throws -> String {
        let description = try await secretsManager.describeSecret(secretId: secretId)
        if let pending = description.version(withStage: .pending), pending != description.version(withStage: .current) {
            progress.phase("following", detail: "a rotation is already under way (version \(pending))")
            return pending
        }
        guard let function = description.rotationLambdaARN, !function.isEmpty else {
            throw CLIError(.awsOrConfiguration, "secret \(description.name) has no rotation function: configure rotation on the secret (RotationLambdaARN), or run the steps here with --run-steps-here.")
        }
        let token = UUID().uuidString.lowercased()
        progress.phase("RotateSecret", detail: "function \(function)")
        try await secretsManager.rotateSecret(secretId: description.name, clientRequestToken: token, rotateImmediately: true)
        return token
    }

    /// Polls until the token's version is `AWSCURRENT` (rotated), disappears (failed) or `deadline` passes.
    func follow(token: String, deadline: ContinuousClock.Instant, progress: RotationProgress) async throws -> (RotationReport.Outcome, String?) {
        let target = CloudFrontHeaderTarget(cloudFront: cloudFront, distributionIds: distributionIds, headerName: headerName)
        while true {
            let description = try await secretsManager.describeSecret(secretId: secretId)
            guard let stages = description.versionIdsToStages?[token] else {
                return (.failed, "Version \(token) no longer carries a staging label: the rotation was abandoned or replaced.")
            }
            if stages.contains(.current) { return (.rotated, nil) }
            if let pending = try await pendingValue(token: token) {
                if distributionIds.isEmpty {
                    progress.phase("setSecret/testSecret/finishSecret", detail: "pending sha256:\(fingerprint(pending)) created")
                } else {
                    let notSending = try await target.originsNotSending(pending)
                    if !notSending.isEmpty {
                        progress.phase("setSecret", detail: "waiting for origins to send sha256:\(fingerprint(pending)): \(notSending.joined(separator: ", "))")
                    } else {
                        var inProgress: [String] = []
                        for id in distributionIds where try await !cloudFront.getDistribution(id: id).isDeployed { inProgress.append(id) }
                        progress.phase("finishSecret", detail: inProgress.isEmpty ? "all Deployed; waiting for AWSCURRENT to move"
                                                                             : "waiting for Deployed: \(inProgress.joined(separator: ", ")) InProgress")
                    }
                }
            } else {
                progress.phase("createSecret", detail: "waiting for the function to store the pending value")
            }
            guard ContinuousClock.now + pollInterval < deadline else {
                return (.timedOut, "Version \(token) is still AWSPENDING. Secrets Manager retries a failed step: check the rotation function's logs, or run `keyrotator origin status`.")
            }
            try await Task.sleep(for: pollInterval)
        }
    }

    private func pendingValue(token: String) async throws -> String? {
        try? await secretsManager.keyValue(secretKeyName, secretId: secretId, versionId: token, stage: .pending)
    }
}
