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
    }

    public func getItem(table: String, key: DynamoDBItem, consistentRead: Bool = true) async throws -> DynamoDBItem? {
        struct Input: Encodable { var TableName: String, Key: DynamoDBItem, ConsistentRead: Bool }
        struct Output: Decodable { var Item: DynamoDBItem? }
        let output: Output = try await client.json(service: service, operation: "GetItem", input: Input(TableName: table, Key: key, ConsistentRead: consistentRead))
        return output.Item
    }

    /// Writes an item; with a `condition`, fails with `ConditionalCheckFailedException` when it does not hold.
    public func putItem(table: String, item: DynamoDBItem, condition: Expression? = nil) async throws {
        struct Input: Encodable {
            var TableName: String, Item: DynamoDBItem, ConditionExpression: String?
            var ExpressionAttributeNames: [String: String]?, ExpressionAttributeValues: DynamoDBItem?
        }
        _ = try await client.jsonRaw(service: service, operation: "PutItem", input: Input(
            TableName: table, Item: item, ConditionExpression: condition?.text,
            ExpressionAttributeNames: condition.flatMap { $0.names.isEmpty ? nil : $0.names },
            ExpressionAttributeValues: condition.flatMap { $0.values.isEmpty ? nil : $0.values }))
    }

    /// Updates an item and returns its attributes after the update (`ALL_NEW`).
    @discardableResult
    public func updateItem(table: String, key: DynamoDBItem, update: Expression, condition: Expression? = nil) async throws -> DynamoDBItem {
        struct Input: Encodable {
            var TableName: String, Key: DynamoDBItem, UpdateExpression: String, ConditionExpression: String?
            var ExpressionAttributeNames: [String: String]?, ExpressionAttributeValues: DynamoDBItem?, ReturnValues: String
        }
        struct Output: Decodable { var Attributes: DynamoDBItem? }
        let names = update.names.merging(condition?.names ?? [:]) { a, _ in a }
        let values = update.values.merging(condition?.values ?? [:]) { a, _ in a }
        let output: Output = try await client.json(service: service, operation: "UpdateItem", input: Input(
            TableName: table, Key: key, UpdateExpression: update.text, ConditionExpression: condition?.text,
            ExpressionAttributeNames: names.isEmpty ? nil : names, ExpressionAttributeValues: values.isEmpty ? nil : values,
            ReturnValues: "ALL_NEW"))
        return output.Attributes ?? [:]
    }

    public func deleteItem(table: String, key: DynamoDBItem, condition: Expression? = nil) async throws {
        struct Input: Encodable {
            var TableName: String, Key: DynamoDBItem, ConditionExpression: String?
            var ExpressionAttributeNames: [String: String]?, ExpressionAttributeValues: DynamoDBItem?
        }
        _ = try await client.jsonRaw(service: service, operation: "DeleteItem", input: Input(
            TableName: table, Key: key, ConditionExpression: condition?.text,
            ExpressionAttributeNames: condition.flatMap { $0.names.isEmpty ? nil : $0.names },
            ExpressionAttributeValues: condition.flatMap { $0.values.isEmpty ? nil : $0.values }))
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
        let names = (keyCondition?.names ?? [:]).merging(filter?.names ?? [:]) { a, _ in a }
        let values = (keyCondition?.values ?? [:]).merging(filter?.values ?? [:]) { a, _ in a }
        return PageSequence { token in
            // The continuation token is the LastEvaluatedKey, carried as JSON text.
            let startKey = try token.map { try JSONDecoder().decode(DynamoDBItem.self, from: Data($0.utf8)) }
            let output: Output = try await client.json(service: service, operation: operation, input: Input(
                TableName: table, IndexName: index, KeyConditionExpression: keyCondition?.text, FilterExpression: filter?.text,
                ExpressionAttributeNames: names.isEmpty ? nil : names, ExpressionAttributeValues: values.isEmpty ? nil : values,
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
