public import AWSServices
public import Logging

/// The CloudFront side of the origin secret: which value each distribution's origins send in the
/// secret header, changing it without touching anything else, and waiting for `Deployed`.
public struct CloudFrontHeaderTarget: OriginHeaderTarget {
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

    /// Reads every distribution and checks that each carries the header on at least one origin.
    /// Throws, naming the distribution, before anything is changed.
    public func snapshots() async throws -> [DistributionHeaderSnapshot] {
        var result: [DistributionHeaderSnapshot] = []
        for id in distributionIds {
            result.append(try await DistributionHeaderSnapshot.read(id, headerName: headerName, from: cloudFront))
        }
        return result
    }

    /// Reads every distribution; throws, naming it, when one cannot be read or carries no header.
    public func checkUsable() async throws {
        _ = try await snapshots()
    }

    /// Sets the header to `value` on every origin that carries it, distribution by distribution,
    /// after reading and validating all of them. The first write of each goes back with what was
    /// read then; only a conflict makes it read again. Returns the ids changed.
    @discardableResult
    public func setHeader(to value: String, deadline: ContinuousClock.Instant, logger: Logger) async throws -> [String] {
        let updater = DistributionHeaderUpdater(cloudFront: cloudFront, headerName: headerName, maxAttempts: maxUpdateAttempts, backoff: conflictBackoff)
        var changed: [String] = []
        for snapshot in try await snapshots() where try await updater.setHeader(on: snapshot, to: value, deadline: deadline, logger: logger) {
            changed.append(snapshot.distributionId)
        }
        return changed
    }

    /// Distributions (and origins) that do not send `value`; empty when all do.
    public func originsNotSending(_ value: String) async throws -> [String] {
        try await snapshots().flatMap { $0.originsNotSending(value) }
    }

    /// Polls until every distribution reports `Deployed`, with backoff, until `deadline`.
    /// Throws `notDeployedInTime` when the deadline comes first: the caller must not go on.
    public func waitUntilDeployed(deadline: ContinuousClock.Instant, logger: Logger) async throws {
        try await DeploymentWaiter(cloudFront: cloudFront, initialInterval: initialPollInterval, maxInterval: maxPollInterval)
            .waitUntilDeployed(distributionIds, deadline: deadline, logger: logger)
    }

    /// A duration as people read it in a log line: `12.3s`.
    static func seconds(_ duration: Duration) -> String {
        let tenths = Int(duration / .milliseconds(100))
        return "\(tenths / 10).\(tenths % 10)s"
    }
}
