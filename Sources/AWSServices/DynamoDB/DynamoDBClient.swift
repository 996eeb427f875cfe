#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import AWSCore
/// The DynamoDB operations KeyRotator uses (AWS JSON 1.0).
public struct DynamoDBClient: Sendable {
    public let client: AWSClient
    private var service: AWSService { .dynamoDB }

    public init(client: AWSClient) { self.client = client }

    /// A condition or update expression with its placeholders.
    public struct Expression: Sendable {
        public var text: String
        public var names: [String: String]
        public var values: DynamoDBItem

        public init(_ text: String, names: [String: String] = [:], values: DynamoDBItem = [:]) {
            self.text = text
            self.names = names
            self.values = values
        }

        /// The placeholders of several expressions merged, nil where there are none (DynamoDB
        /// rejects empty maps).
        static func placeholders(_ expressions: Expression?...) -> (names: [String: String]?, values: DynamoDBItem?) {
            var names: [String: String] = [:], values: DynamoDBItem = [:]
            for expression in expressions.compactMap({ $0 }) {
                names.merge(expression.names) { first, _ in first }
                values.merge(expression.values) { first, _ in first }
            }
            return (names.isEmpty ? nil : names, values.isEmpty ? nil : values)
        }
    }

    public func getItem(table: String, key: DynamoDBItem, consistentRead: Bool = true) async throws -> DynamoDBItem? {
        struct Input: Encodable { var TableName: String, Key: DynamoDBItem, ConsistentRead: Bool }
        struct Output: Decodable { var Item: DynamoDBItem? }
        let output: Output = try await client.json(service: service, operation: "GetItem", input: Input(TableName: table, Key: key, ConsistentRead: consistentRead))
        return output.Item
    }

    /// Writes an item; with a `condition`, fails with `ConditionalCheckFailedException` when it does not hold.
    public func putItem(table: String, item: DynamoDBItem, condition: Expression? = nil) async throws {
        _ = try await client.jsonRaw(service: service, operation: "PutItem", input: ConditionalWrite(table: table, item: item, key: nil, condition: condition))
    }

    /// Updates an item and returns its attributes after the update (`ALL_NEW`).
    @discardableResult
    public func updateItem(table: String, key: DynamoDBItem, update: Expression, condition: Expression? = nil) async throws -> DynamoDBItem {
        struct Input: Encodable {
            var TableName: String, Key: DynamoDBItem, UpdateExpression: String, ConditionExpression: String?
            var ExpressionAttributeNames: [String: String]?, ExpressionAttributeValues: DynamoDBItem?, ReturnValues: String
        }
        struct Output: Decodable { var Attributes: DynamoDBItem? }
        let (names, values) = Expression.placeholders(update, condition)
        let output: Output = try await client.json(service: service, operation: "UpdateItem", input: Input(
            TableName: table, Key: key, UpdateExpression: update.text, ConditionExpression: condition?.text,
            ExpressionAttributeNames: names, ExpressionAttributeValues: values, ReturnValues: "ALL_NEW"))
        return output.Attributes ?? [:]
    }

    public func deleteItem(table: String, key: DynamoDBItem, condition: Expression? = nil) async throws {
        _ = try await client.jsonRaw(service: service, operation: "DeleteItem", input: ConditionalWrite(table: table, item: nil, key: key, condition: condition))
    }

    /// The body of PutItem (with `Item`) and DeleteItem (with `Key`).
    private struct ConditionalWrite: Encodable {
        var TableName: String, Item: DynamoDBItem?, Key: DynamoDBItem?, ConditionExpression: String?
        var ExpressionAttributeNames: [String: String]?, ExpressionAttributeValues: DynamoDBItem?

        init(table: String, item: DynamoDBItem?, key: DynamoDBItem?, condition: Expression?) {
            TableName = table
            Item = item
            Key = key
            ConditionExpression = condition?.text
            (ExpressionAttributeNames, ExpressionAttributeValues) = Expression.placeholders(condition)
        }
    }

    /// Items matching a key condition, a page at a time.
    public func query(table: String, index: String? = nil, keyCondition: Expression, filter: Expression? = nil,
                      limit: Int? = nil, consistentRead: Bool = false) -> PageSequence<[DynamoDBItem]> {
        paginate(operation: "Query", table: table, index: index, keyCondition: keyCondition, filter: filter, limit: limit, consistentRead: consistentRead)
    }

    /// Every item (optionally filtered), a page at a time.
    public func scan(table: String, index: String? = nil, filter: Expression? = nil, limit: Int? = nil, consistentRead: Bool = false) -> PageSequence<[DynamoDBItem]> {
        paginate(operation: "Scan", table: table, index: index, keyCondition: nil, filter: filter, limit: limit, consistentRead: consistentRead)
    }

    private func paginate(operation: String, table: String, index: String?, keyCondition: Expression?, filter: Expression?,
                          limit: Int?, consistentRead: Bool) -> PageSequence<[DynamoDBItem]> {
        let client = self
        return PageSequence { token in
            let page = try await client.page(operation: operation, table: table, index: index, keyCondition: keyCondition, filter: filter,
                                             limit: limit, consistentRead: consistentRead, startToken: token)
            return (page.items, page.next)
        }
    }

    /// One page of a Query or Scan, with how many items DynamoDB read for it (`ScannedCount`, which
    /// counts items a filter then dropped) and the token of the next page.
    public struct Page: Sendable {
        public var items: [DynamoDBItem]
        public var scannedCount: Int
        /// The next page's start (`LastEvaluatedKey` as JSON text), nil after the last page.
        public var next: String?
    }

    /// One page of Items matching a key condition, starting at `startToken` (a `Page.next`).
    public func queryPage(table: String, index: String? = nil, keyCondition: Expression, filter: Expression? = nil,
                          limit: Int? = nil, startToken: String? = nil) async throws -> Page {
        try await page(operation: "Query", table: table, index: index, keyCondition: keyCondition, filter: filter,
                       limit: limit, consistentRead: false, startToken: startToken)
    }

    /// One page of a Scan, starting at `startToken` (a `Page.next`).
    public func scanPage(table: String, filter: Expression? = nil, limit: Int? = nil, consistentRead: Bool = false,
                         startToken: String? = nil) async throws -> Page {
        try await page(operation: "Scan", table: table, index: nil, keyCondition: nil, filter: filter,
                       limit: limit, consistentRead: consistentRead, startToken: startToken)
    }

    private func page(operation: String, table: String, index: String?, keyCondition: Expression?, filter: Expression?,
                      limit: Int?, consistentRead: Bool, startToken: String?) async throws -> Page {
        struct Input: Encodable {
            var TableName: String, IndexName: String?, KeyConditionExpression: String?, FilterExpression: String?
            var ExpressionAttributeNames: [String: String]?, ExpressionAttributeValues: DynamoDBItem?
            var Limit: Int?, ConsistentRead: Bool?, ExclusiveStartKey: DynamoDBItem?
        }
        struct Output: Decodable { var Items: [DynamoDBItem]?, LastEvaluatedKey: DynamoDBItem?, ScannedCount: Int? }
        let (names, values) = Expression.placeholders(keyCondition, filter)
        // The continuation token is the LastEvaluatedKey, carried as JSON text.
        let startKey: DynamoDBItem?
        do {
            startKey = try startToken.map { try JSONDecoder().decode(DynamoDBItem.self, from: Data($0.utf8)) }
        } catch {
            throw AWSConfigurationError(code: "InvalidContinuationToken", message: "The \(operation) continuation token of table \(table) is not a DynamoDB key: \(error)")
        }
        let output: Output = try await client.json(service: service, operation: operation, input: Input(
            TableName: table, IndexName: index, KeyConditionExpression: keyCondition?.text, FilterExpression: filter?.text,
            ExpressionAttributeNames: names, ExpressionAttributeValues: values,
            Limit: limit, ConsistentRead: consistentRead ? true : nil, ExclusiveStartKey: startKey))
        let next = try output.LastEvaluatedKey.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let items = output.Items ?? []
        return Page(items: items, scannedCount: output.ScannedCount ?? items.count, next: next)
    }

    /// What `DescribeTable` says about a table's keys and indexes.
    public struct TableDescription: Decodable, Sendable {
        public struct KeyElement: Codable, Sendable, Equatable {
            public var AttributeName: String
            public var KeyType: String
            public init(AttributeName: String, KeyType: String) {
                self.AttributeName = AttributeName
                self.KeyType = KeyType
            }
        }
        public struct Index: Decodable, Sendable {
            public var IndexName: String
            public var IndexStatus: String?
            public var KeySchema: [KeyElement]
        }
        public var TableName: String
        public var TableStatus: String?
        public var ItemCount: Int?
        public var KeySchema: [KeyElement]
        public var GlobalSecondaryIndexes: [Index]?

        /// The global secondary index called `name`, when the table has it.
        public func index(named name: String) -> Index? { GlobalSecondaryIndexes?.first { $0.IndexName == name } }
    }

    public func describeTable(name: String) async throws -> TableDescription {
        struct Output: Decodable { var Table: TableDescription }
        let output: Output = try await client.json(service: service, operation: "DescribeTable", input: ["TableName": name])
        return output.Table
    }

    /// Writes up to 25 items, retrying what DynamoDB leaves unprocessed (set-up, tests and benchmarks).
    public func batchPut(table: String, items: [DynamoDBItem]) async throws {
        struct PutRequest: Codable { var Item: DynamoDBItem }
        struct WriteRequest: Codable { var PutRequest: PutRequest }
        struct Input: Encodable { var RequestItems: [String: [WriteRequest]] }
        struct Output: Decodable { var UnprocessedItems: [String: [WriteRequest]]? }
        var pending = items.map { WriteRequest(PutRequest: PutRequest(Item: $0)) }
        var attempt = 0
        while !pending.isEmpty {
            let output: Output = try await client.json(service: service, operation: "BatchWriteItem", input: Input(RequestItems: [table: pending]))
            pending = output.UnprocessedItems?[table] ?? []
            attempt += 1
            if !pending.isEmpty { try await Task.sleep(for: .milliseconds(min(1000, 20 << min(attempt, 6)))) }
        }
    }

    /// A global secondary index to create with a table: string keys, the projection's extra attributes.
    public struct IndexDefinition: Sendable {
        public var name: String
        public var hashKey: String
        public var rangeKey: String?
        /// Non-key attributes to project (`INCLUDE`); empty projects only the keys (`KEYS_ONLY`).
        public var projectedAttributes: [String]

        public init(name: String, hashKey: String, rangeKey: String? = nil, projectedAttributes: [String] = []) {
            self.name = name
            self.hashKey = hashKey
            self.rangeKey = rangeKey
            self.projectedAttributes = projectedAttributes
        }
    }

    /// Creates a table with a string hash key, on-demand billing and the given indexes (set-up and tests).
    public func createTable(name: String, hashKey: String, indexes: [IndexDefinition] = []) async throws {
        struct Attribute: Encodable { var AttributeName: String, AttributeType: String }
        struct Projection: Encodable { var ProjectionType: String, NonKeyAttributes: [String]? }
        struct GSI: Encodable { var IndexName: String, KeySchema: [TableDescription.KeyElement], Projection: Projection }
        struct Input: Encodable {
            var TableName: String, AttributeDefinitions: [Attribute], KeySchema: [TableDescription.KeyElement], BillingMode: String
            var GlobalSecondaryIndexes: [GSI]?
        }
        var attributes = [hashKey]
        for index in indexes {
            for attribute in [index.hashKey] + (index.rangeKey.map { [$0] } ?? []) where !attributes.contains(attribute) { attributes.append(attribute) }
        }
        let gsis = indexes.map { index in
            GSI(IndexName: index.name,
                KeySchema: [.init(AttributeName: index.hashKey, KeyType: "HASH")] + (index.rangeKey.map { [.init(AttributeName: $0, KeyType: "RANGE")] } ?? []),
                Projection: index.projectedAttributes.isEmpty ? Projection(ProjectionType: "KEYS_ONLY", NonKeyAttributes: nil)
                    : Projection(ProjectionType: "INCLUDE", NonKeyAttributes: index.projectedAttributes))
        }
        _ = try await client.jsonRaw(service: service, operation: "CreateTable", input: Input(
            TableName: name, AttributeDefinitions: attributes.map { Attribute(AttributeName: $0, AttributeType: "S") },
            KeySchema: [.init(AttributeName: hashKey, KeyType: "HASH")], BillingMode: "PAY_PER_REQUEST",
            GlobalSecondaryIndexes: gsis.isEmpty ? nil : gsis))
    }
}
