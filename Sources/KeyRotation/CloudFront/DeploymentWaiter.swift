import AWSServices
import Logging

/// Polls CloudFront until every distribution reports `Deployed`, with a doubling interval, until
/// a deadline: the caller must not go on (move `AWSCURRENT`) before it returns.
struct DeploymentWaiter: Sendable {
    let cloudFront: CloudFrontClient
    let initialInterval: Duration
    let maxInterval: Duration

    func waitUntilDeployed(_ distributionIds: [String], deadline: ContinuousClock.Instant, logger: Logger) async throws {
        var pending = Set(distributionIds)
        var interval = initialInterval
        let started = ContinuousClock.now
        while true {
            for id in pending.sorted() where try await cloudFront.getDistribution(id: id).isDeployed {
                pending.remove(id)
            }
            if pending.isEmpty {
                logger.info("distributions deployed", metadata: ["distributions": "\(distributionIds.joined(separator: ","))", "waited": "\(CloudFrontHeaderTarget.seconds(ContinuousClock.now - started))"])
                return
            }
            guard ContinuousClock.now + interval < deadline else {
                throw RotationError(.notDeployedInTime, "Distribution(s) \(pending.sorted().joined(separator: ", ")) still InProgress after \(CloudFrontHeaderTarget.seconds(ContinuousClock.now - started)); AWSCURRENT was not moved. Secrets Manager will retry finishSecret.")
            }
            logger.info("waiting for distributions to deploy", metadata: ["inProgress": "\(pending.sorted().joined(separator: ","))"])
            try await Task.sleep(for: interval)
            interval = min(interval * 2, maxInterval)
        }
    }
}
