#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import AWSServices

/// ``WorkQueue`` over SQS `SendMessageBatch`: one message per work item, its body the item's JSON.
public struct SQSWorkQueue: WorkQueue {
    public let sqs: SQSClient
    public let queueURL: String

    public init(sqs: SQSClient, queueURL: String) {
        self.sqs = sqs
        self.queueURL = queueURL
    }

    public func send(_ items: [WorkItem]) async throws -> [Int] {
        guard !items.isEmpty else { return [] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let messages = try items.enumerated().map { index, item in
            SQSClient.OutgoingMessage(id: String(index), body: String(decoding: try encoder.encode(item), as: UTF8.self))
        }
        let result = try await sqs.sendMessageBatch(queueURL: queueURL, messages: messages)
        return result.failed.compactMap { Int($0.id) }.sorted()
    }
}
