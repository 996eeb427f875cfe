public import AWSCore
extension AWSService {
    /// Amazon EventBridge (CloudWatch Events): AWS JSON 1.1, endpoint override `AWS_ENDPOINT_URL_EVENTBRIDGE`.
    public static let eventBridge = AWSService(serviceId: "EventBridge", signingName: "events", endpointPrefix: "events",
                                               wireProtocol: .json(version: "1.1", targetPrefix: "AWSEvents"))
}

/// The EventBridge operations KeyRotator uses: putting events on a bus.
public struct EventBridgeClient: Sendable {
    public let client: AWSClient
    private var service: AWSService { .eventBridge }

    public init(client: AWSClient) { self.client = client }

    /// One event to put: `detail` is a JSON object as text.
    public struct Entry: Encodable, Sendable {
        public var source: String
        public var detailType: String
        public var detail: String
        public var eventBusName: String?
        public var resources: [String]?

        public init(source: String, detailType: String, detail: String, eventBusName: String? = nil, resources: [String]? = nil) {
            self.source = source
            self.detailType = detailType
            self.detail = detail
            self.eventBusName = eventBusName
            self.resources = resources
        }

        enum CodingKeys: String, CodingKey {
            case source = "Source", detailType = "DetailType", detail = "Detail", eventBusName = "EventBusName", resources = "Resources"
        }
    }

    /// The outcome of each entry, in order: an event id, or an error code and message.
    public struct PutEventsResult: Decodable, Sendable {
        public struct Entry: Decodable, Sendable {
            public var eventId: String?
            public var errorCode: String?
            public var errorMessage: String?
            enum CodingKeys: String, CodingKey { case eventId = "EventId", errorCode = "ErrorCode", errorMessage = "ErrorMessage" }
        }
        public var failedEntryCount: Int
        public var entries: [Entry]

        enum CodingKeys: String, CodingKey { case failedEntryCount = "FailedEntryCount", entries = "Entries" }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            failedEntryCount = try c.decodeIfPresent(Int.self, forKey: .failedEntryCount) ?? 0
            entries = try c.decodeIfPresent([Entry].self, forKey: .entries) ?? []
        }
    }

    /// Puts up to 10 events. Entries can fail individually: check `failedEntryCount`.
    public func putEvents(_ entries: [Entry]) async throws -> PutEventsResult {
        struct Input: Encodable { var Entries: [Entry] }
        return try await client.json(service: service, operation: "PutEvents", input: Input(Entries: entries))
    }

    /// Creates an event bus and returns its ARN (set-up and tests).
    public func createEventBus(name: String) async throws -> String {
        struct Output: Decodable { var EventBusArn: String }
        let output: Output = try await client.json(service: service, operation: "CreateEventBus", input: ["Name": name])
        return output.EventBusArn
    }
}
