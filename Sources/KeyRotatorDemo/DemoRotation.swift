import AWSServices
import KeyMaterial
import KeyRotation
import KeyRotationLive
import Logging
import TrafficSimulation

/// The demo's rotation: the four steps with the code the Lambda function runs, through the rotator's
/// break-glass path (it stages the pending version and removes `AWSPENDING` at the end as Secrets
/// Manager does), each step written to the timeline as it finishes.
struct DemoRotation {
    let stage: DemoStage
    let timeline: DemoTimeline
    let logger: Logger

    /// Rotates and returns the new current value.
    func run() async throws -> String {
        let configuration = CloudFrontRotationConfiguration(distributionIds: [stage.distributionId], headerName: stage.headerName,
                                                            originURL: stage.origin.url, deployPollInterval: .milliseconds(200),
                                                            verifierCacheTTL: stage.verifierTTL, verifierWaitMargin: .seconds(1))
        let rotator = CloudFrontRotator(configuration: configuration, client: stage.client)
        let secretsManager = SecretsManagerClient(client: stage.client)
        let (timeline, distributionId, secretName, ttl) = (self.timeline, stage.distributionId, stage.secretName, stage.verifierTTL)
        try await rotator.rotateWithoutFunction(secretId: stage.secretName, deadline: .now + .seconds(120), logger: logger) { step in
            if step == .setSecret {
                timeline.record("setSecret", "waits until every verifier can know the new value (key ring TTL \(format1(ttl / .seconds(1)))s + 1s)")
            }
        } didRun: { step, token in
            let pending = (try? await secretsManager.keyValue("HTTP_API_KEY", secretId: secretName, versionId: token)).flatMap { $0 }
            let shown = pending.map(fingerprint) ?? "?"
            switch step {
            case .createSecret: timeline.record("createSecret", "new value staged AWSPENDING: sha256:\(shown)", marker: true)
            case .setSecret: timeline.record("setSecret", "distribution \(distributionId) sends sha256:\(shown); edges follow as they catch up", marker: true)
            case .testSecret: timeline.record("testSecret", "origin accepts pending and current, rejects a wrong value", marker: true)
            case .finishSecret: timeline.record("finishSecret", "Deployed; AWSCURRENT -> sha256:\(shown), the old value is AWSPREVIOUS", marker: true)
            }
        }
        guard let value = try await secretsManager.keyValue("HTTP_API_KEY", secretId: stage.secretName, stage: .current) else {
            throw RotationError(.invalidSecret, "the rotated secret has no HTTP_API_KEY")
        }
        return value
    }
}
