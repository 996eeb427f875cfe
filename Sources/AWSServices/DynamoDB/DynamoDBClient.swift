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
        struct Input: Encodable {
            var TableName: String, IndexName: String?, KeyConditionExpression: String?, FilterExpression: String?
            var ExpressionAttributeNames: [String: String]?, ExpressionAttributeValues: DynamoDBItem?
            var Limit: Int?, ConsistentRead: Bool?, ExclusiveStartKey: DynamoDBItem?
        }
        struct Output: Decodable { var Items: [DynamoDBItem]?, LastEvaluatedKey: DynamoDBItem? }
        let client = self.client, service = self.service
        let (names, values) = Expression.placeholders(keyCondition, filter)
        return PageSequence { token in
            // The continuation token is the LastEvaluatedKey, carried as JSON text.
            let startKey = try token.map { try JSONDecoder().decode(DynamoDBItem.self, from: Data($0.utf8)) }
            let output: Output = try await client.json(service: service, operation: operation, input: Input(
                TableName: table, IndexName: index, KeyConditionExpression: keyCondition?.text, FilterExpression: filter?.text,
                ExpressionAttributeNames: names, ExpressionAttributeValues: values,
                Limit: limit, ConsistentRead: consistentRead ? true : nil, ExclusiveStartKey: startKey))
            let next = try output.LastEvaluatedKey.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
            return (output.Items ?? [], next)
        }
    }

    /// Creates a table with a string hash key and on-demand billing (set-up and tests).
    public func createTable(name: String, hashKey: String) async throws {
        struct Attribute: Encodable { var AttributeName: String, AttributeType: String }
        struct KeyElement: Encodable { var AttributeName: String, KeyType: String }
        struct Input: Encodable { var TableName: String, AttributeDefinitions: [Attribute], KeySchema: [KeyElement], BillingMode: String }
        _ = try await client.jsonRaw(service: service, operation: "CreateTable", input: Input(
            TableName: name, AttributeDefinitions: [Attribute(AttributeName: hashKey, AttributeType: "S")],
            KeySchema: [KeyElement(AttributeName: hashKey, KeyType: "HASH")], BillingMode: "PAY_PER_REQUEST"))
    }
}
