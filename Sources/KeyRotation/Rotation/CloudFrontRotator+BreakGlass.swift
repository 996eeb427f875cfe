#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AWSServices
public import Logging

extension CloudFrontRotator {
    /// Rotates the secret here, without a deployed rotation function (break-glass, or a local
    /// emulator): stages a pending version as Secrets Manager's `RotateSecret` would, runs the
    /// four steps with the Lambda handler's code, then removes
    /// `AWSPENDING` from the finished version as the service does. `willRun` is told each step
    /// before it starts, `didRun` once it has finished (with the rotation's token). Re-running after
    /// a failure resumes the unfinished rotation. Returns the
    /// rotation's token (the new version id). A distribution that cannot be read or has no origin
    /// sending the header stops it before anything is written. This is the one path that rotates a secret whose
    /// rotation is not enabled: the operator asked for it.
    @discardableResult
    public func rotateWithoutFunction(secretId: String, deadline: ContinuousClock.Instant, logger: Logger,
                                      willRun: @Sendable (RotationStep) async -> Void = { _ in },
                                      didRun: @Sendable (RotationStep, _ token: String) async -> Void = { _, _ in }) async throws -> String {
        // Read every distribution first: one without the header would stop setSecret after createSecret had
        // staged a pending version; here nothing is written before the distributions are known to be usable.
        try await target.checkUsable()
        let token = try await beginRotation(secretId: secretId, logger: logger)
        for step in RotationStep.allCases {
            await willRun(step)
            try await run(RotationEvent(step: step, secretId: secretId, clientRequestToken: token), requireRotationEnabled: false,
                          deadline: deadline, logger: logger)
            await didRun(step, token)
        }
        try await endRotation(secretId: secretId, token: token)
        return token
    }

    /// Stages a new `AWSPENDING` version holding a generated value (createSecret's code), or
    /// returns the version of a rotation that is already under way.
    public func beginRotation(secretId: String, logger: Logger) async throws -> String {
        var metadata = try await secrets.describeSecret(secretId: secretId)
        if let pending = metadata.version(withStage: .pending) {
            guard pending == metadata.version(withStage: .current) else {
                logger.info("resuming the rotation under way", metadata: ["token": "\(pending)"])
                return pending
            }
            // A finished rotation whose label the service has not removed yet.
            try await secrets.updateSecretVersionStage(secretId: metadata.name, versionStage: .pending, moveToVersionId: nil, removeFromVersionId: pending)
            metadata = try await secrets.describeSecret(secretId: secretId)
        }
        let token = UUID().uuidString.lowercased()
        try await createSecret(metadata, token: token, logger: logger)
        return token
    }

    /// Removes `AWSPENDING` from the token's version once it is `AWSCURRENT`, so that the next
    /// rotation can start.
    public func endRotation(secretId: String, token: String) async throws {
        let metadata = try await secrets.describeSecret(secretId: secretId)
        let stages = metadata.versionIdsToStages?[token] ?? []
        if stages.contains(.current) && stages.contains(.pending) {
            try await secrets.updateSecretVersionStage(secretId: metadata.name, versionStage: .pending, moveToVersionId: nil, removeFromVersionId: token)
        }
    }
}
