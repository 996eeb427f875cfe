#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import APIKeyRotation
import AWSCore
import LambdaRuntime
import Logging

/// `apikey-sweep`: run by an EventBridge schedule (any event). Queues the items due for rotation
/// and the previous keys whose grace period is over on `ROTATION_QUEUE_URL`; answers the counts.
struct APIKeySweepHandler: LambdaHandler {
    let sweeper: APIKeySweeper

    init(context: LambdaInitContext) throws {
        let configuration = try APIKeyRotationConfiguration(environment: context.environment)
        let queueURL = try AWSAPIKeyRotation.queueURL(environment: context.environment)
        let client = try AWSClient.fromEnvironment(AWSEnvironment(variables: context.environment), logger: context.logger)
        var sweeper = AWSAPIKeyRotation.sweeper(configuration: configuration, client: client, queueURL: queueURL, logger: context.logger)
        if let margin = context.environment["SWEEP_DEADLINE_MARGIN_SECONDS"].flatMap(Double.init), margin >= 0 {
            sweeper.deadlineMargin = .milliseconds(Int64(margin * 1000))
        }
        self.sweeper = sweeper
    }

    func handle(_ event: [UInt8], context: LambdaContext) async throws -> [UInt8] {
        do {
            let report = try await sweeper.sweep(deadline: .now + context.remainingTime, logger: context.logger)
            return Array(try JSONEncoder().encode(report))
        } catch {
            context.logger.error("sweep failed", metadata: ["error": "\(error)"])
            throw ReportedError(error)
        }
    }
}
