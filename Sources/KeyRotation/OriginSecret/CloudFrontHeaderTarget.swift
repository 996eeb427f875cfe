import AWSCore
public import AWSServices
import KeyMaterial
public import Logging

/// The CloudFront side of the origin secret: which value each distribution's origins send in the
/// secret header, changing it without touching anything else, and waiting for `Deployed`.
public struct CloudFrontHeaderTarget: Sendable {
    public let cloudFront: CloudFrontClient
    public let distributionIds: [String]
    public let headerName: String
    /// Attempts at one distribution's read-modify-write when CloudFront answers
    /// `PreconditionFailed` (someone else changed it between our read and our write) or throttles.
    public var maxUpdateAttempts = 6
    /// The first wait between `Deployed` polls; it doubles up to `maxPollInterval`.
    public var initialPollInterval: Duration = .seconds(2)
    public var maxPollInterval: Duration = .seconds(20)
    /// The first wait after throttling or a conflict; it doubles each time.
    public var conflictBackoff: Duration = .milliseconds(500)

    public init(cloudFront: CloudFrontClient, distributionIds: [String], headerName: String) {
        self.cloudFront = cloudFront
        self.distributionIds = distributionIds
        self.headerName = headerName
    }

    /// What one distribution sends now.
    public struct Snapshot: Sendable {
        public var distributionId: String
        /// Origin id -> the header value it sends, for origins that carry the header.
        public var valuesByOrigin: [(originId: String, value: String)]
        /// The configuration as read, and the ETag to write it back with.
        public var config: DistributionConfig
        public var etag: String
    }

    /// Reads every distribution and checks that each carries the header on at least one origin.
    /// Throws, naming the distribution, before anything is changed.
    public func snapshots() async throws -> [Snapshot] {
        var result: [Snapshot] = []
        for id in distributionIds {
            let config: DistributionConfig, etag: String
            do {
                (config, etag) = try await cloudFront.getDistributionConfig(id: id)
            } catch let error as AWSError where error.code == "NoSuchDistribution" {
                throw RotationError(.distributionNotReady, "Distribution \(id) does not exist (check CLOUDFRONT_DISTRIBUTION_ID).")
            } catch let error as AWSError where error.code == "AccessDenied" {
                throw RotationError(.distributionNotReady, "Access denied reading distribution \(id): the function's role needs cloudfront:GetDistributionConfig and cloudfront:UpdateDistribution on it.")
            }
            let values = config.origins.flatMap { origin in
                origin.customHeaders.filter { $0.name.lowercased() == headerName.lowercased() }.map { (originId: origin.id, value: $0.value) }
            }
            guard !values.isEmpty else {
                throw RotationError(.headerMissing, "No origin of distribution \(id) sends the header \(headerName): add it as an origin custom header (with the current secret value) before rotating.")
            }
            result.append(Snapshot(distributionId: id, valuesByOrigin: values, config: config, etag: etag))
        }
        return result
    }

    /// Sets the header to `value` on every origin that carries it, distribution by distribution.
    /// A distribution already sending `value` everywhere is left alone. Returns the ids changed.
    @discardableResult
    public func setHeader(to value: String, deadline: ContinuousClock.Instant, logger: Logger) async throws -> [String] {
        // Every distribution is read and validated before any is changed; the first write of each
        // goes back with what was read then, and only a conflict makes it read again.
        var changed: [String] = []
        for snapshot in try await snapshots() where try await setHeader(on: snapshot, to: value, deadline: deadline, logger: logger) {
            changed.append(snapshot.distributionId)
        }
        return changed
    }

    private func setHeader(on snapshot: Snapshot, to value: String, deadline: ContinuousClock.Instant, logger: Logger) async throws -> Bool {
        let id = snapshot.distributionId
        var backoff = conflictBackoff
        var (config, etag) = (snapshot.config, snapshot.etag)
        for attempt in 1...maxUpdateAttempts {
            if attempt > 1 { (config, etag) = try await cloudFront.getDistributionConfig(id: id) }
            var edited = config
            let origins = edited.setCustomHeader(named: headerName, to: value)
            if origins.isEmpty {
                logger.info("distribution already sends the pending value", metadata: ["distribution": "\(id)"])
                return false
            }
            do {
                try await cloudFront.updateDistribution(id: id, config: edited, ifMatch: etag)
                logger.info("distribution updated", metadata: ["distribution": "\(id)", "origins": "\(origins.joined(separator: ","))", "value": "sha256:\(fingerprint(value))"])
                return true
            } catch let error as AWSError where ["PreconditionFailed", "InvalidIfMatchVersion"].contains(error.code) || RetryPolicy.isThrottling(.response(statusCode: error.statusCode, code: error.code)) {
                guard attempt < maxUpdateAttempts, ContinuousClock.now + backoff < deadline else {
                    throw RotationError(.updateConflict, "Distribution \(id) kept changing or throttling (\(error.code)) over \(attempt) attempts; nothing was lost, run the step again.")
                }
                logger.notice("distribution update retried", metadata: ["distribution": "\(id)", "reason": "\(error.code)", "attempt": "\(attempt)"])
                try await Task.sleep(for: backoff * Double.random(in: 0.5...1))
                backoff = backoff * 2
            }
        }
        return false
    }

    /// Distributions (and origins) that do not send `value`; empty when all do.
    public func originsNotSending(_ value: String) async throws -> [String] {
        try await snapshots().flatMap { snapshot in
            snapshot.valuesByOrigin.filter { $0.value != value }.map { "\(snapshot.distributionId)/\($0.originId)" }
        }
    }

    /// Polls until every distribution reports `Deployed`, with backoff, until `deadline`.
    /// Throws `notDeployedInTime` when the deadline comes first: the caller must not go on.
    public func waitUntilDeployed(deadline: ContinuousClock.Instant, logger: Logger) async throws {
        var pending = Set(distributionIds)
        var interval = initialPollInterval
        let started = ContinuousClock.now
        while true {
            for id in pending.sorted() where try await cloudFront.getDistribution(id: id).isDeployed {
                pending.remove(id)
            }
            if pending.isEmpty {
                logger.info("distributions deployed", metadata: ["distributions": "\(distributionIds.joined(separator: ","))", "waited": "\(Self.seconds(ContinuousClock.now - started))"])
                return
            }
            guard ContinuousClock.now + interval < deadline else {
                throw RotationError(.notDeployedInTime, "Distribution(s) \(pending.sorted().joined(separator: ", ")) still InProgress after \(Self.seconds(ContinuousClock.now - started)); AWSCURRENT was not moved. Secrets Manager will retry finishSecret.")
            }
            logger.info("waiting for distributions to deploy", metadata: ["inProgress": "\(pending.sorted().joined(separator: ","))"])
            try await Task.sleep(for: interval)
            interval = min(interval * 2, maxPollInterval)
        }
    }

    /// A duration as people read it in a log line: `12.3s`.
    static func seconds(_ duration: Duration) -> String {
        let tenths = Int(duration / .milliseconds(100))
        return "\(tenths / 10).\(tenths % 10)s"
    }
}
