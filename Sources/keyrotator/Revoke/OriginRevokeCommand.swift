import ArgumentParser
import AWSCore
import AWSServices
import Foundation

/// `keyrotator origin revoke`: for a compromised value. Rotates now, then takes the old value's
/// last label away so that verifiers refuse it at their next refresh instead of after the grace
/// period, and flushes a REST API's authorizer cache.
struct OriginRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a compromised origin secret: rotate now and stop accepting the old value.",
        discussion: """
        The value that is AWSCURRENT when the command starts is the compromised one. revoke \
        rotates exactly as `origin rotate` does (same flags); once the new value is AWSCURRENT it \
        removes AWSPREVIOUS from the old version, so every verifier refuses the old value at its \
        next refresh (--verifier-cache-ttl + --verifier-wait-margin) instead of after the grace \
        period. With --rest-api-id and --stage it then waits for that refresh and flushes the \
        stage's authorizer cache (FlushStageAuthorizersCache), so that no cached Allow outlives it. \
        An HTTP API's result cache cannot be flushed: it may allow the old value for its result \
        TTL (--authorizer-result-ttl) after the verifiers refuse it. The output says until when.

        Edges that still send the old value are refused from then on, until CloudFront has \
        propagated the new one: that is the point of a revocation.

        --json prints one object: rotation (as `origin rotate --json`), revoked, \
        revokedVersionId, revokedFingerprint, previousRemovedFrom, verifiersRefuseBy, flushed \
        {restApiId, stage, at}, unflushedCachesMayAllowUntil, authorizerResultTTLSeconds, message.

        \(ExitStatus.helpText)
        """
    )

    @OptionGroup var rotation: RotateOptions
    @Option(name: .customLong("rest-api-id"), help: "A REST API whose Lambda authorizer verifies the header: its stage's authorizer cache is flushed (needs --stage).")
    var restApiId: String?
    @Option(name: .customLong("stage"), help: "With --rest-api-id: the stage whose authorizer cache is flushed.")
    var stage: String?
    @Option(name: .customLong("authorizer-result-ttl"), help: "The API Gateway authorizer's result TTL in seconds (authorizerResultTtlInSeconds), for the remaining exposure of caches not flushed.")
    var authorizerResultTTL: Int = 300

    func validate() throws {
        guard (restApiId == nil) == (stage == nil) else { throw ValidationError("--rest-api-id and --stage go together: the REST API stage whose authorizer cache is flushed.") }
        guard (0...3600).contains(authorizerResultTTL) else { throw ValidationError("--authorizer-result-ttl must be from 0 to 3600 seconds.") }
    }

    func run() async throws {
        try await CommandEnvironment.run(secretId: rotation.secret.secretId, verbose: rotation.output.verbose) { environment in
            let report = try await revoke(environment)
            if rotation.output.json { try Console.printJSON(report) } else { Console.out(report.text) }
            return report.revoked ? .ok : .failed
        }
    }

    private func revoke(_ environment: CommandEnvironment) async throws -> RevocationReport {
        let secretId = rotation.secret.secretId
        let secrets = SecretsManagerClient(client: environment.client)
        guard let compromised = try await secrets.describeSecret(secretId: secretId).version(withStage: .current) else {
            throw CLIError(.awsOrConfiguration, "secret \(secretId) has no AWSCURRENT version: there is no value to revoke.")
        }
        var report = RevocationReport(
            rotation: try await OriginRotation(options: rotation, environment: environment).run(), revokedVersionId: compromised,
            revokedFingerprint: try await OriginRotation.fingerprint(of: compromised, options: rotation, environment: environment),
            authorizerResultTTLSeconds: authorizerResultTTL)
        let after = try await secrets.describeSecret(secretId: secretId)
        guard report.rotation.outcome == .rotated, let current = after.version(withStage: .current), current != compromised else {
            report.message = "The rotation did not make a new value current, so nothing was removed; fix what it reports and run revoke again."
            return report
        }
        // After the rotation AWSPREVIOUS is on the compromised version (or, if another rotation ran
        // meanwhile, on a version newer than it that was current for a moment): both are refused.
        if let previous = after.version(withStage: .previous), previous != current {
            try await secrets.updateSecretVersionStage(secretId: secretId, versionStage: .previous, removeFromVersionId: previous)
            report.previousRemovedFrom = previous
        }
        let verifiersRefuseBy = Date().addingTimeInterval(rotation.verifierWindow.seconds)
        report.verifiersRefuseBy = verifiersRefuseBy
        report.unflushedCachesMayAllowUntil = verifiersRefuseBy.addingTimeInterval(Double(authorizerResultTTL))
        if let restApiId, let stage {
            report.flushed = try await flush(environment, restApiId: restApiId, stage: stage, after: verifiersRefuseBy)
        }
        return report
    }

    /// Waits until the verifiers refuse the value (a flush before that would let a verifier that
    /// has not refreshed allow it again, and API Gateway cache that Allow), then flushes.
    private func flush(_ environment: CommandEnvironment, restApiId: String, stage: String, after verifiersRefuseBy: Date) async throws -> RevocationReport.Flush {
        let wait = verifiersRefuseBy.timeIntervalSinceNow
        if wait > 0 {
            Console.error("waiting \(Int(wait.rounded(.up))) s for the verifiers to refresh before flushing REST API \(restApiId) stage \(stage)")
            try await Task.sleep(for: .milliseconds(Int(wait * 1000)))
        }
        do {
            try await APIGatewayClient(client: environment.client).flushStageAuthorizersCache(restApiId: restApiId, stageName: stage)
        } catch let error as AWSError {
            throw CLIError(.awsOrConfiguration, """
                the old value is revoked in Secrets Manager, but flushing the authorizer cache of REST API \(restApiId) stage \(stage) failed \
                (\(error.code)): \(error.message ?? "no message"). Cached Allows may last until \(RevocationReport.time(verifiersRefuseBy.addingTimeInterval(Double(authorizerResultTTL)))); \
                retry with: aws apigateway flush-stage-authorizers-cache --rest-api-id \(restApiId) --stage-name \(stage)
                """)
        }
        return .init(restApiId: restApiId, stage: stage, at: Date())
    }
}
