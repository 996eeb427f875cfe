import AWSCore
import AWSServices
import KeyMaterial
import Logging

/// Sets the secret header on one distribution with a conditional write (`If-Match` the ETag read),
/// so that a concurrent edit is never overwritten: on `PreconditionFailed` or throttling it reads
/// again, re-applies the one change, and retries with backoff, until `maxAttempts` or the deadline.
struct DistributionHeaderUpdater: Sendable {
    let cloudFront: CloudFrontClient
    let headerName: String
    let maxAttempts: Int
    let backoff: Duration

    /// True when the distribution was changed; false when every origin already sent `value`.
    func setHeader(on snapshot: DistributionHeaderSnapshot, to value: String, deadline: ContinuousClock.Instant, logger: Logger) async throws -> Bool {
        let id = snapshot.distributionId
        var wait = backoff
        var (config, etag) = (snapshot.config, snapshot.etag)
        for attempt in 1...max(1, maxAttempts) {
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
            } catch let error as AWSError where Self.isRetryable(error) {
                guard attempt < maxAttempts, ContinuousClock.now + wait < deadline else {
                    throw RotationError(.updateConflict, "Distribution \(id) kept changing or throttling (\(error.code)) over \(attempt) attempts; nothing was lost, run the step again.")
                }
                logger.notice("distribution update retried", metadata: ["distribution": "\(id)", "reason": "\(error.code)", "attempt": "\(attempt)"])
                try await Task.sleep(for: wait * Double.random(in: 0.5...1))
                wait = wait * 2
            }
        }
        return false
    }

    /// Someone else changed the distribution between our read and our write, or CloudFront throttles.
    static func isRetryable(_ error: AWSError) -> Bool {
        ["PreconditionFailed", "InvalidIfMatchVersion"].contains(error.code)
            || RetryPolicy.isThrottling(.response(statusCode: error.statusCode, code: error.code))
    }
}
