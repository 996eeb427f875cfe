#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AWSCore
public import AWSServices
public import KeyMaterial
public import Logging

/// Rotates the secret CloudFront sends to its origin, one Secrets Manager step at a time, with
/// the semantics of AWS's rotation templates. Every step can be re-run after any failure and
/// converges to the same end state.
///
/// It works through three small seams: a `SecretVersionStore` (Secrets Manager), an
/// `OriginHeaderTarget` (the CloudFront distributions) and an optional `OriginCheck` (the origin
/// probe). KeyRotationLive wires them to AWS and HTTP; tests run the steps against in-memory ones.
public struct CloudFrontRotator: Sendable {
    public let configuration: CloudFrontRotationConfiguration
    public let secrets: any SecretVersionStore
    public let target: any OriginHeaderTarget
    public let probe: (any OriginCheck)?
    public let generator: SecretGenerator
    /// Where step durations, outcomes and waits are reported.
    public let metrics: RotationMetrics

    public init(configuration: CloudFrontRotationConfiguration, secrets: any SecretVersionStore, target: any OriginHeaderTarget,
                probe: (any OriginCheck)?, generator: SecretGenerator = SecretGenerator(), metrics: RotationMetrics = RotationMetrics()) {
        self.metrics = metrics
        self.configuration = configuration
        self.secrets = secrets
        self.target = target
        self.probe = probe
        self.generator = generator
    }

    /// Runs one step for Secrets Manager. `deadline` is when the invocation must have answered (the
    /// Lambda deadline). As in AWS's rotation templates, a step for a secret whose rotation is not
    /// enabled (never turned on, turned off, or cancelled with `CancelRotateSecret`) changes nothing.
    public func run(_ event: RotationEvent, deadline: ContinuousClock.Instant, logger: Logger) async throws {
        try await run(event, requireRotationEnabled: true, deadline: deadline, logger: logger)
    }

    /// Runs `step` but stops it a moment before `deadline`, so that the function reports a failure
    /// Secrets Manager can see instead of being stopped by Lambda: a slow AWS call cannot carry a
    /// step past its invocation. Every step is safe to stop anywhere and re-run.
    func withinDeadline(_ deadline: ContinuousClock.Instant, step: RotationStep, _ body: @escaping @Sendable () async throws -> Void) async throws {
        let cutoff = deadline - .milliseconds(250)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await body()
                return true
            }
            group.addTask {
                try await Task.sleep(until: cutoff, clock: .continuous)
                return false
            }
            defer { group.cancelAll() }
            guard let finished = try await group.next(), finished else {
                throw RotationError(.outOfTime, "\(step.rawValue) ran out of time before the function's deadline (a slow AWS call or a long wait); it stopped cleanly and can be run again: Secrets Manager retries it.")
            }
        }
    }

    /// Runs one step; `requireRotationEnabled` is false only on the operator's break-glass path
    /// (`rotateWithoutFunction`), which rotates a secret that has no rotation function on purpose.
    func run(_ event: RotationEvent, requireRotationEnabled: Bool, deadline: ContinuousClock.Instant, logger: Logger) async throws {
        let started = ContinuousClock.now
        do {
            try await withinDeadline(deadline, step: event.step) {
                try await runStep(event, requireRotationEnabled: requireRotationEnabled, deadline: deadline, logger: logger)
            }
        } catch {
            metrics.step(event.step, took: .now - started, errorCode: RotationMetrics.code(of: error))
            throw error
        }
        metrics.step(event.step, took: .now - started, errorCode: nil)
    }

    private func runStep(_ event: RotationEvent, requireRotationEnabled: Bool, deadline: ContinuousClock.Instant, logger: Logger) async throws {
        var logger = logger
        logger[metadataKey: "step"] = "\(event.step.rawValue)"
        logger[metadataKey: "secret"] = "\(event.secretId)"
        logger[metadataKey: "token"] = "\(event.clientRequestToken)"
        logger[metadataKey: "distributions"] = "\(configuration.distributionIds.joined(separator: ","))"

        let metadata = try await describe(event.secretId)
        guard try checkPending(metadata, token: event.clientRequestToken, requireRotationEnabled: requireRotationEnabled) else {
            logger.info("version is already AWSCURRENT: nothing to do")
            return
        }

        switch event.step {
        case .createSecret: try await createSecret(metadata, token: event.clientRequestToken, logger: logger)
        case .setSecret:
            try await setSecret(metadata, token: event.clientRequestToken, requireRotationEnabled: requireRotationEnabled, deadline: deadline, logger: logger)
        case .testSecret: try await testSecret(metadata, token: event.clientRequestToken, logger: logger)
        case .finishSecret: try await finishSecret(metadata, token: event.clientRequestToken, deadline: deadline, logger: logger)
        }
    }

    /// The guards of AWS's rotation templates, in their order: the token names a version, rotation is
    /// enabled (unless the operator's break-glass path says otherwise), and the version is
    /// `AWSPENDING`. Returns false when the version is already `AWSCURRENT` (nothing to do).
    func checkPending(_ metadata: SecretDescription, token: String, requireRotationEnabled: Bool) throws -> Bool {
        guard let tokenStages = metadata.versionIdsToStages?[token] else {
            throw RotationError(.unknownVersion, "Secret \(metadata.name) has no version \(token); Secrets Manager's rotation token must name a version of the secret.")
        }
        guard metadata.rotationEnabled == true || !requireRotationEnabled else {
            throw RotationError(.rotationNotEnabled, "Secret \(metadata.name) does not have rotation enabled (it was never turned on, was turned off, or was cancelled): nothing was changed. Turn rotation on (RotateSecret) to rotate it, or rotate it by hand with `keyrotator origin rotate --run-steps-here`.")
        }
        if tokenStages.contains(.current) { return false }
        guard tokenStages.contains(.pending) else {
            throw RotationError(.versionNotPending, "Version \(token) of secret \(metadata.name) is not staged AWSPENDING (it has \(tokenStages)).")
        }
        return true
    }

    /// Stores a new random value as the token's `AWSPENDING` version, unless it already has one. The
    /// current version must hold a string under `SECRET_KEY_NAME`: a rotation never invents the key.
    func createSecret(_ metadata: SecretDescription, token: String, logger: Logger) async throws {
        let current = try await document(metadata.name, stage: .current)
        guard current.value(forKey: configuration.secretKeyName) != nil else {
            throw RotationError(.invalidSecret, "The current version of \(metadata.name) has no string under \(configuration.secretKeyName): check SECRET_KEY_NAME, or store the value your origins send now under that key before rotating; nothing was changed.")
        }
        if let pending = try await pendingValue(metadata.name, token: token) {
            logger.info("pending value already exists", metadata: ["pending": "sha256:\(fingerprint(pending))"])
            return
        }
        var next = current
        next.setValue(generator.generate(length: configuration.secretKeyLength), forKey: configuration.secretKeyName)
        try await secrets.storeSecretValue(secretId: metadata.name, clientRequestToken: token, secretString: next.secretString, versionStages: [.pending])
        logger.info("pending value created", metadata: ["pending": "sha256:\(fingerprint(next.value(forKey: configuration.secretKeyName) ?? ""))"])
    }

    /// Makes every distribution's origins send the pending value, once every verifier has had the
    /// chance to learn it (see `waitForVerifiers`).
    /// A rotation cancelled or turned off during that wait is not continued: the guards run again
    /// before any distribution changes.
    func setSecret(_ metadata: SecretDescription, token: String, requireRotationEnabled: Bool, deadline: ContinuousClock.Instant,
                   logger: Logger) async throws {
        let pending = try await requiredPendingVersion(metadata.name, token: token)
        if try await waitForVerifiers(metadata, pending: pending, deadline: deadline, logger: logger) {
            guard try checkPending(try await describe(metadata.name), token: token, requireRotationEnabled: requireRotationEnabled) else {
                logger.info("version became AWSCURRENT during the wait: nothing to do")
                return
            }
        }
        let changed = try await target.setHeader(to: pending.value, deadline: deadline, logger: logger)
        metrics.distributionsUpdated(changed.count)
        logger.info("origins send the pending value", metadata: ["pending": "sha256:\(fingerprint(pending.value))", "changed": "\(changed.joined(separator: ","))"])
    }

    /// Waits until the pending value has been readable for `verifierCacheTTL` plus a margin: by then
    /// every verifier's cached key ring was loaded after the value existed, or has expired and is
    /// reloaded before its next answer. An edge that sent the value earlier could meet a verifier that
    /// denies it, and API Gateway caches that Deny for its whole result TTL. The wait counts from the
    /// later of the version's `CreatedDate` and the secret's `LastChangedDate`, so a re-run after the
    /// wait does not wait again; a wait that would outlast the invocation fails before touching
    /// CloudFront, and Secrets Manager retries the step.
    /// Returns whether it waited.
    @discardableResult
    func waitForVerifiers(_ metadata: SecretDescription, pending: PendingVersion, deadline: ContinuousClock.Instant, logger: Logger) async throws -> Bool {
        let readableSince = [pending.createdDate, metadata.lastChangedDate].compactMap { $0 }.max() ?? Date()
        let readyAt = readableSince.addingTimeInterval((configuration.verifierCacheTTL + configuration.verifierWaitMargin) / .seconds(1))
        let remaining = readyAt.timeIntervalSince(Date())
        guard remaining > 0 else {
            metrics.waitedForVerifiers(.zero)
            return false
        }
        let wait = Duration.milliseconds(Int((remaining * 1000).rounded(.up)))
        let available = deadline - configuration.deadlineMargin - .now
        guard wait <= available else {
            throw RotationError(.verifiersNotReady, "setSecret must wait \(CloudFrontHeaderTarget.seconds(wait)) more before any distribution sends the pending value (VERIFIER_CACHE_TTL_SECONDS plus VERIFIER_WAIT_MARGIN_SECONDS after it was stored), but the invocation has \(CloudFrontHeaderTarget.seconds(max(available, .zero))) left before DEPLOY_WAIT_MARGIN_SECONDS; no distribution was changed. Secrets Manager retries the step; a function timeout above the wait avoids the retry.")
        }
        logger.info("waiting for verifiers to learn the pending value", metadata: ["wait": "\(CloudFrontHeaderTarget.seconds(wait))", "verifierCacheTTL": "\(CloudFrontHeaderTarget.seconds(configuration.verifierCacheTTL))"])
        try await Task.sleep(for: wait)
        metrics.waitedForVerifiers(wait)
        return true
    }

    /// Checks the pending value end to end: the origin accepts pending and current and rejects a
    /// wrong value; without `ORIGIN_URL`, that every distribution sends the pending value.
    func testSecret(_ metadata: SecretDescription, token: String, logger: Logger) async throws {
        let pending = try await requiredPendingValue(metadata.name, token: token)
        let current = try await document(metadata.name, stage: .current).value(forKey: configuration.secretKeyName)
        let notSending = try await target.originsNotSending(pending)
        guard notSending.isEmpty else {
            throw RotationError(.setSecretIncomplete, "Origins \(notSending.joined(separator: ", ")) do not send the pending value yet: setSecret has not completed.")
        }
        guard let probe else {
            logger.notice("ORIGIN_URL is not set: the origin was not probed; checked that the pending value reads back and every distribution sends it")
            return
        }
        var candidates = [("pending value", pending)]
        if let current, current != pending { candidates.append(("current value", current)) }
        for (label, value) in candidates {
            guard case .accepted = try await probe.probe(value: value, label: label) else {
                throw RotationError(.originTestFailed, "The origin \(probe.url) rejected the \(label) (sha256:\(fingerprint(value))): it must accept AWSCURRENT and AWSPENDING during a rotation.")
            }
        }
        let wrong = generator.generate(length: configuration.secretKeyLength)
        guard case .rejected = try await probe.probe(value: wrong, label: "random wrong value") else {
            throw RotationError(.originTestFailed, "The origin \(probe.url) accepted a random wrong value: it does not check \(configuration.headerName), so rotating the secret protects nothing.")
        }
        logger.info("origin accepts pending and current, rejects a wrong value", metadata: ["pending": "sha256:\(fingerprint(pending))"])
    }

    /// Waits until every distribution is `Deployed`, then moves `AWSCURRENT` to the token's version.
    func finishSecret(_ metadata: SecretDescription, token: String, deadline: ContinuousClock.Instant, logger: Logger) async throws {
        let pending = try await requiredPendingValue(metadata.name, token: token)
        let notSending = try await target.originsNotSending(pending)
        guard notSending.isEmpty else {
            throw RotationError(.setSecretIncomplete, "Origins \(notSending.joined(separator: ", ")) do not send the pending value: AWSCURRENT stays where it is until setSecret has completed.")
        }
        let waitStarted = ContinuousClock.now
        try await target.waitUntilDeployed(deadline: deadline - configuration.deadlineMargin, logger: logger)
        metrics.waitedForDeployment(.now - waitStarted)
        let currentVersion = metadata.version(withStage: .current)
        try await secrets.updateSecretVersionStage(secretId: metadata.name, versionStage: .current, moveToVersionId: token, removeFromVersionId: currentVersion)
        logger.info("AWSCURRENT moved to the new version", metadata: ["previousVersion": "\(currentVersion ?? "none")", "current": "sha256:\(fingerprint(pending))"])
    }

    // MARK: - Reading the secret

    private func describe(_ secretId: String) async throws -> SecretDescription {
        do {
            return try await secrets.describeSecret(secretId: secretId)
        } catch let error as AWSError where error.code == "ResourceNotFoundException" {
            throw RotationError(.invalidEvent, "Secret \(secretId) does not exist.")
        }
    }

    private func document(_ secretId: String, stage: StagingLabel) async throws -> SecretDocument {
        let value = try await secrets.getSecretValue(secretId: secretId, versionId: nil, versionStage: stage)
        return try SecretDocument(secretString: value.secretString ?? "", secretId: secretId)
    }

    /// The token's pending value and when its version was created.
    struct PendingVersion: Sendable {
        let value: String
        let createdDate: Date?
    }

    /// The pending version of the token, or nil when that version holds no value yet.
    private func pendingVersion(_ secretId: String, token: String) async throws -> PendingVersion? {
        switch try await secrets.lookUpKey(configuration.secretKeyName, secretId: secretId, versionId: token, stage: .pending) {
        case .noValue: return nil
        case let .value(pending, createdDate): return PendingVersion(value: pending, createdDate: createdDate)
        case .missingKey:
            throw RotationError(.invalidSecret, "The pending version of \(secretId) has no string under \(configuration.secretKeyName) (check SECRET_KEY_NAME).")
        }
    }

    private func pendingValue(_ secretId: String, token: String) async throws -> String? {
        try await pendingVersion(secretId, token: token)?.value
    }

    private func requiredPendingVersion(_ secretId: String, token: String) async throws -> PendingVersion {
        guard let pending = try await pendingVersion(secretId, token: token) else {
            throw RotationError(.invalidSecret, "Version \(token) of \(secretId) holds no value yet: createSecret must run first.")
        }
        return pending
    }

    private func requiredPendingValue(_ secretId: String, token: String) async throws -> String {
        try await requiredPendingVersion(secretId, token: token).value
    }
}
