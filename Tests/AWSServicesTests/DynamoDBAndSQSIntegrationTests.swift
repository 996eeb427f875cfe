import AWSCore
@testable import AWSServices
import Foundation
import Testing
import TestSupport

/// DynamoDB and SQS through our client against moto with authentication on.
@Suite(.timeLimit(.minutes(5))) struct DynamoDBAndSQSIntegrationTests {
    @Test func conditionalWritesQueriesAndPagedScans() async throws {
        let moto = try await MotoServer.shared()
        let ddb = DynamoDBClient(client: moto.client())
        let table = "it-keys-\(UUID().uuidString)"
        try await ddb.createTable(name: table, hashKey: "itemId")

        for n in 0..<5 {
            try await ddb.putItem(table: table, item: ["itemId": .string("item-\(n)"), "apiKeyId": .string("k\(n)"), "rotations": .number(0)],
                                  condition: .init("attribute_not_exists(itemId)"))
        }
        await #expect {
            try await ddb.putItem(table: table, item: ["itemId": .string("item-0")], condition: .init("attribute_not_exists(itemId)"))
        } throws: { error in
            (error as? AWSError)?.code == "ConditionalCheckFailedException"
        }

        let updated = try await ddb.updateItem(table: table, key: ["itemId": .string("item-1")],
                                               update: .init("SET #k = :new, rotations = rotations + :one", names: ["#k": "apiKeyId"], values: [":new": .string("k1b"), ":one": .number(1)]),
                                               condition: .init("#k = :old", names: ["#k": "apiKeyId"], values: [":old": .string("k1")]))
        #expect(updated["apiKeyId"] == .string("k1b"))
        #expect(updated["rotations"] == .number("1"))
        await #expect {
            // The same conditional update again: the old key id no longer matches.
            try await ddb.updateItem(table: table, key: ["itemId": .string("item-1")], update: .init("SET #k = :new", names: ["#k": "apiKeyId"], values: [":new": .string("k1c")]),
                                     condition: .init("#k = :old", names: ["#k": "apiKeyId"], values: [":old": .string("k1")]))
        } throws: { error in
            (error as? AWSError)?.code == "ConditionalCheckFailedException"
        }

        let item = try await ddb.getItem(table: table, key: ["itemId": .string("item-2")])
        #expect(item?["apiKeyId"] == .string("k2"))
        let queried = try await ddb.query(table: table, keyCondition: .init("itemId = :id", values: [":id": .string("item-3")])).collect().flatMap { $0 }
        #expect(queried.count == 1)

        let pages = try await ddb.scan(table: table, limit: 2).collect()
        #expect(pages.count >= 3, "5 items, 2 per page")
        #expect(Set(pages.flatMap { $0 }.compactMap { $0["itemId"]?.stringValue }) == Set((0..<5).map { "item-\($0)" }))
    }

    @Test func batchesSendReceiveAndDelete() async throws {
        let moto = try await MotoServer.shared()
        let sqs = SQSClient(client: moto.client())
        let queue = try await sqs.createQueue(name: "it-rotate-\(UUID().uuidString)")
        let sent = try await sqs.sendMessageBatch(queueURL: queue, messages: (0..<10).map { .init(id: "m\($0)", body: #"{"itemId":"item-\#($0)"}"#) })
        #expect(sent.successful.count == 10 && sent.failed.isEmpty)

        var received: [SQSClient.Message] = []
        for _ in 0..<5 where received.count < 10 {
            received += try await sqs.receiveMessage(queueURL: queue, maxMessages: 10, visibilityTimeout: 30)
        }
        #expect(Set(received.map(\.body)).count == 10)
        #expect(received.allSatisfy { $0.receiveCount == 1 })

        let deleted = try await sqs.deleteMessageBatch(queueURL: queue, entries: received.prefix(10).enumerated().map { ("d\($0.offset)", $0.element.receiptHandle) })
        #expect(deleted.successful.count == 10 && deleted.failed.isEmpty)
        #expect(try await sqs.receiveMessage(queueURL: queue).isEmpty)
    }
}
