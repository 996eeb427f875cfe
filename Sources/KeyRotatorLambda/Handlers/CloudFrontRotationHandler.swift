import AWSCore
import KeyRotation
import KeyRotationLive
import LambdaRuntime
import Logging

/// `cloudfront-rotation`: the Secrets Manager rotation function for the CloudFront origin secret.
/// A drop-in for the Python rotator: the same environment variables and secret JSON.
struct CloudFrontRotationHandler: JSONLambdaHandler {
    typealias Event = RotationEvent

    struct Output: Encodable, Sendable {
        var step: String
        var secretId: String
        var status = "ok"
    }

    let rotator: CloudFrontRotator

    init(context: LambdaInitContext) throws {
        let configuration = try CloudFrontRotationConfiguration(environment: context.environment)
        let client = try AWSClient.fromEnvironment(AWSEnvironment(variables: context.environment), userAgent: HandlerRegistry.userAgent,
                                                   logger: context.logger)
        rotator = CloudFrontRotator(configuration: configuration, client: client)
    }

    func handle(event: RotationEvent, context: LambdaContext) async throws -> Output {
        do {
            try await rotator.run(event, deadline: .now + context.remainingTime, logger: context.logger)
        } catch {
            context.logger.error("rotation step failed", metadata: ["step": "\(event.step.rawValue)", "secret": "\(event.secretId)", "error": "\(error)"])
            throw ReportedError(error)
        }
        return Output(step: event.step.rawValue, secretId: event.secretId)
    }
}
