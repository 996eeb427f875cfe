public import AWSCore
import AWSServices
public import Logging

/// Builds the sweep and the rotator on the AWS clients, as the Lambda handlers and the CLI use them.
public enum AWSAPIKeyRotation {
    /// The key store every caller uses: API Gateway behind this process's share of the rate limits.
    public static func keyStore(client: AWSClient, rates: RateConfiguration, logger: Logger) -> RateLimitedKeyStore {
        RateLimitedKeyStore(APIGatewayKeyStore(apiGateway: APIGatewayClient(client: client)), rates: rates, logger: logger)
    }

    /// The rotator; with `eventBusName` it publishes each rotation and retirement there.
    public static func rotator(configuration: APIKeyRotationConfiguration, client: AWSClient, eventBusName: String?, logger: Logger) -> APIKeyRotator {
        let events: any RotationEventPublisher = eventBusName.map { EventBridgePublisher(eventBridge: EventBridgeClient(client: client), eventBusName: $0) } ?? NoEventPublisher()
        return APIKeyRotator(configuration: configuration, store: keyStore(client: client, rates: configuration.rates, logger: logger),
                             table: DynamoDBKeyItemTable(dynamoDB: DynamoDBClient(client: client), configuration: configuration), events: events)
    }

    /// The sweep, queueing to `queueURL` (a dry run sends nothing).
    public static func sweeper(configuration: APIKeyRotationConfiguration, client: AWSClient, queueURL: String, logger: Logger) -> APIKeySweeper {
        APIKeySweeper(configuration: configuration, store: keyStore(client: client, rates: configuration.rates, logger: logger),
                      table: DynamoDBKeyItemTable(dynamoDB: DynamoDBClient(client: client), configuration: configuration),
                      queue: SQSWorkQueue(sqs: SQSClient(client: client), queueURL: queueURL))
    }

    /// `ROTATION_QUEUE_URL`, required by the sweep. APIGateway-API-Key-Auto-Rotation's `ROTATION_LAMBDA_ARN` alone is an error
    /// that says what replaces it.
    public static func queueURL(environment: [String: String]) throws(APIKeyRotationError) -> String {
        if let url = environment["ROTATION_QUEUE_URL"]?.trimmingWhitespace(), !url.isEmpty { return url }
        if let arn = environment["ROTATION_LAMBDA_ARN"]?.trimmingWhitespace(), !arn.isEmpty {
            throw APIKeyRotationError(.invalidConfiguration, "ROTATION_QUEUE_URL is not set: this sweep queues work for apikey-rotate on an SQS queue instead of invoking ROTATION_LAMBDA_ARN (\(arn)) once per item; set ROTATION_QUEUE_URL to the queue's URL and subscribe apikey-rotate to it.")
        }
        throw APIKeyRotationError(.invalidConfiguration, "ROTATION_QUEUE_URL is not set: set it to the URL of the SQS queue apikey-rotate consumes.")
    }

    /// `EVENT_BUS_NAME`, when set.
    public static func eventBusName(environment: [String: String]) -> String? {
        guard let name = environment["EVENT_BUS_NAME"]?.trimmingWhitespace(), !name.isEmpty else { return nil }
        return name
    }
}
