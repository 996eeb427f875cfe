import ArgumentParser
import AWSCore
import AWSServices
import Foundation
import OriginVerifier

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
        next refresh (its cache TTL + --verifier-wait-margin) instead of after the grace period. \
        With --authorizer-function the verifier's CACHE_TTL_SECONDS and STALE_IF_ERROR_SECONDS are \
        read from that function (GetFunctionConfiguration), and its TTL replaces \
        --verifier-cache-ttl (also for setSecret's wait with --run-steps-here); without it, --verifier-cache-ttl and \
        the verifier's default stale-if-error period (900 s) are assumed. A verifier that cannot \
        reach Secrets Manager keeps its last key ring for its stale-if-error period past its TTL: \
        the output says until when it may still accept the old value.

        With --rest-api-id and --stage it waits until the verifiers have refreshed, then flushes \
        the stage's authorizer cache (FlushStageAuthorizersCache): a flush before that would let \
        a verifier that has not refreshed allow the old value again, and API Gateway cache that \
        Allow for the result TTL. An HTTP API's result cache cannot be flushed: it may allow the \
        old value for its result TTL (--authorizer-result-ttl) after the last verifier does.

        Edges that still send the old value are refused from then on, until CloudFront has \
        propagated the new one: that is the point of a revocation.

        --json prints one object: rotation (as `origin rotate --json`), revoked, \
        revokedVersionId, revokedFingerprint, previousRemovedFrom, verifierSettingsFrom, \
        verifierCacheTTLSeconds, staleIfErrorSeconds, verifiersRefuseBy, \
        verifiersFailingToRefreshMayAllowUntil, flushed {restApiId, stage, at}, \
        unflushedCachesMayAllowUntil, cachesMayAllowUntilIfVerifiersFail, \
        authorizerResultTTLSeconds, message.

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
    @Option(name: .customLong("authorizer-function"), help: "The authorizer function's name or ARN: its CACHE_TTL_SECONDS and STALE_IF_ERROR_SECONDS give the remaining exposure.")
    var authorizerFunction: String?

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

    /// The verifiers' cache TTL and stale-if-error period: the authorizer function's, or the CLI's flag and the
    /// verifier's default.
    struct VerifierSettings {
        var from: String
        var cacheTTL: Duration
        var staleIfError: Duration
    }

    private func verifierSettings(_ environment: CommandEnvironment) async throws -> VerifierSettings {
        guard let authorizerFunction else {
            return VerifierSettings(from: "defaults", cacheTTL: .milliseconds(Int(rotation.verifierCacheTTL * 1000)),
                                    staleIfError: OriginVerifier.Configuration(secretId: rotation.secret.secretId).staleIfErrorPeriod)
        }
        let function = try await OriginDoctor.functionConfiguration(authorizerFunction, client: environment.client)
        do {
            let configuration = try OriginVerifier.Configuration.fromEnvironment(function.variables)
            return VerifierSettings(from: function.functionName, cacheTTL: configuration.cacheTTL, staleIfError: configuration.staleIfErrorPeriod)
        } catch {
            throw CLIError(.awsOrConfiguration, "authorizer function \(function.functionName) cannot start (\(error)): fix its environment, or leave out --authorizer-function to assume --verifier-cache-ttl and the defaults. Nothing was rotated.")
        }
    }

    private func revoke(_ environment: CommandEnvironment) async throws -> RevocationReport {
        let secretId = rotation.secret.secretId
        let secrets = SecretsManagerClient(client: environment.client)
        // Read before rotating: a wrong --authorizer-function stops the command before anything changes.
        let settings = try await verifierSettings(environment)
        guard let compromised = try await secrets.describeSecret(secretId: secretId).version(withStage: .current) else {
            throw CLIError(.awsOrConfiguration, "secret \(secretId) has no AWSCURRENT version: there is no value to revoke.")
        }
        // The authorizer's TTL replaces --verifier-cache-ttl: with --run-steps-here setSecret waits what the verifier really caches.
        var options = rotation
        options.verifierCacheTTL = settings.cacheTTL.seconds
        var report = RevocationReport(
            rotation: try await OriginRotation(options: options, environment: environment).run(), revokedVersionId: compromised,
            revokedFingerprint: try await OriginRotation.fingerprint(of: compromised, options: options, environment: environment),
            verifierSettingsFrom: settings.from, verifierCacheTTLSeconds: Int(settings.cacheTTL.seconds.rounded()),
            staleIfErrorSeconds: Int(settings.staleIfError.seconds.rounded()), authorizerResultTTLSeconds: authorizerResultTTL)
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
        // A verifier loaded its ring at the latest now: it refreshes within its TTL (+ the margin), and one that
        // cannot reach Secrets Manager serves that ring for its stale-if-error period past the TTL.
        let verifiersRefuseBy = Date().addingTimeInterval((settings.cacheTTL + .milliseconds(Int(rotation.verifierWaitMargin * 1000))).seconds)
        let failingUntil = verifiersRefuseBy.addingTimeInterval(settings.staleIfError.seconds)
        report.verifiersRefuseBy = verifiersRefuseBy
        report.verifiersFailingToRefreshMayAllowUntil = failingUntil
        report.unflushedCachesMayAllowUntil = verifiersRefuseBy.addingTimeInterval(Double(authorizerResultTTL))
        report.cachesMayAllowUntilIfVerifiersFail = failingUntil.addingTimeInterval(Double(authorizerResultTTL))
        if let restApiId, let stage {
            report.flushed = try await flush(environment, restApiId: restApiId, stage: stage, after: verifiersRefuseBy)
        }
        return report
    }

    /// Waits until the verifiers refuse the value (a flush before that would let a verifier that
    /// has not refreshed allow it again, and API Gateway cache that Allow), then flushes. A verifier
    /// serving a stale ring (Secrets Manager unreachable) may still allow it after the flush: the
    /// report gives until when, and the command that flushes again then.
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
