public import AWSCore
/// The SQS operations KeyRotator uses (AWS JSON 1.0).
public struct SQSClient: Sendable {
    public let client: AWSClient
    private var service: AWSService { .sqs }

    public init(client: AWSClient) { self.client = client }

    /// A message to send in a batch; `id` is unique within the batch.
    public struct OutgoingMessage: Encodable, Sendable {
        public var id: String
        public var body: String
        public var delaySeconds: Int?

        public init(id: String, body: String, delaySeconds: Int? = nil) {
            self.id = id
            self.body = body
            self.delaySeconds = delaySeconds
        }

        enum CodingKeys: String, CodingKey { case id = "Id", body = "MessageBody", delaySeconds = "DelaySeconds" }
    }

    /// A received message.
    public struct Message: Decodable, Sendable {
        public var messageId: String
        public var receiptHandle: String
        public var body: String
        public var attributes: [String: String]?

        enum CodingKeys: String, CodingKey { case messageId = "MessageId", receiptHandle = "ReceiptHandle", body = "Body", attributes = "Attributes" }

        /// How many times SQS has delivered this message (from `ApproximateReceiveCount`).
        public var receiveCount: Int? { attributes?["ApproximateReceiveCount"].flatMap(Int.init) }
    }

    /// The per-entry outcome of a batch call.
    public struct BatchResult: Decodable, Sendable {
        public struct Failure: Decodable, Sendable {
            public var id: String
            public var code: String
            public var message: String?
            public var senderFault: Bool?
            enum CodingKeys: String, CodingKey { case id = "Id", code = "Code", message = "Message", senderFault = "SenderFault" }
        }
        public struct Success: Decodable, Sendable {
            public var id: String
            enum CodingKeys: String, CodingKey { case id = "Id" }
        }
        public var successful: [Success]
        public var failed: [Failure]

        enum CodingKeys: String, CodingKey { case successful = "Successful", failed = "Failed" }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            successful = try c.decodeIfPresent([Success].self, forKey: .successful) ?? []
            failed = try c.decodeIfPresent([Failure].self, forKey: .failed) ?? []
        }
    }

    /// Sends up to 10 messages. Entries can fail individually: check `failed`.
    public func sendMessageBatch(queueURL: String, messages: [OutgoingMessage]) async throws -> BatchResult {
        struct Input: Encodable { var QueueUrl: String, Entries: [OutgoingMessage] }
        return try await client.json(service: service, operation: "SendMessageBatch", input: Input(QueueUrl: queueURL, Entries: messages))
    }

    public func receiveMessage(queueURL: String, maxMessages: Int = 10, waitTimeSeconds: Int? = nil, visibilityTimeout: Int? = nil) async throws -> [Message] {
        struct Input: Encodable {
            var QueueUrl: String, MaxNumberOfMessages: Int, WaitTimeSeconds: Int?, VisibilityTimeout: Int?, MessageSystemAttributeNames: [String]
        }
        struct Output: Decodable { var Messages: [Message]? }
        let output: Output = try await client.json(service: service, operation: "ReceiveMessage", input: Input(
            QueueUrl: queueURL, MaxNumberOfMessages: maxMessages, WaitTimeSeconds: waitTimeSeconds, VisibilityTimeout: visibilityTimeout,
            MessageSystemAttributeNames: ["ApproximateReceiveCount"]))
        return output.Messages ?? []
    }

    /// Deletes up to 10 received messages by receipt handle; `id` is unique within the batch.
    public func deleteMessageBatch(queueURL: String, entries: [(id: String, receiptHandle: String)]) async throws -> BatchResult {
        struct Entry: Encodable { var Id: String, ReceiptHandle: String }
        struct Input: Encodable { var QueueUrl: String, Entries: [Entry] }
        return try await client.json(service: service, operation: "DeleteMessageBatch",
                                     input: Input(QueueUrl: queueURL, Entries: entries.map { Entry(Id: $0.id, ReceiptHandle: $0.receiptHandle) }))
    }

    /// Creates a queue and returns its URL (set-up and tests).
    public func createQueue(name: String) async throws -> String {
        struct Output: Decodable { var QueueUrl: String }
        let output: Output = try await client.json(service: service, operation: "CreateQueue", input: ["QueueName": name])
        return output.QueueUrl
    }
}
