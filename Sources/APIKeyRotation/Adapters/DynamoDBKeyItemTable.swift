import AWSCore
public import AWSServices

/// ``KeyItemTable`` over a DynamoDB table with APIGateway-API-Key-Auto-Rotation's attributes, and optionally the two
/// indexes the sweep queries (``indexDefinitions(configuration:)``).
public struct DynamoDBKeyItemTable: KeyItemTable {
    public let dynamoDB: DynamoDBClient
    public let configuration: APIKeyRotationConfiguration
    private typealias A = KeyItem.Attribute
    private static let cursorAttribute = "sweepCursor"

    public init(dynamoDB: DynamoDBClient, configuration: APIKeyRotationConfiguration) {
        self.dynamoDB = dynamoDB
        self.configuration = configuration
    }

    private var table: String { configuration.tableName }

    /// The indexes the sweep reads (what the deployment template creates): `RotationDueIndex`
    /// (hash `usagePlanID`, range `updateTime`) and the sparse `RetirementDueIndex` (hash
    /// `usagePlanID`, range `previousKeyRetireAt`, present only while an old key is in its grace period).
    public static func indexDefinitions(configuration: APIKeyRotationConfiguration) -> [DynamoDBClient.IndexDefinition] {
        let rotation = DynamoDBClient.IndexDefinition(name: configuration.rotationIndexName, hashKey: A.usagePlanID, rangeKey: A.updateTime,
                                                      projectedAttributes: [A.keyID, A.previousKeyID, A.previousKeyRetireAt])
        let retirement = DynamoDBClient.IndexDefinition(name: configuration.retirementIndexName, hashKey: A.usagePlanID, rangeKey: A.previousKeyRetireAt,
                                                        projectedAttributes: [A.keyID, A.previousKeyID, A.updateTime])
        return [rotation, retirement]
    }

    public func item(id: String) async throws -> KeyItem? {
        try await dynamoDB.getItem(table: table, key: [A.itemID: .string(id)]).flatMap(Self.decode)
    }

    public func layout() async throws -> TableLayout {
        let description = try await dynamoDB.describeTable(name: table)
        let missing = [configuration.rotationIndexName, configuration.retirementIndexName].filter { name in
            guard let index = description.index(named: name) else { return true }
            return !(index.IndexStatus == nil || index.IndexStatus == "ACTIVE")
        }
        return missing.isEmpty ? .indexed : .scanOnly(missingIndexes: missing)
    }

    public func itemsDueForRotation(planID: String, before: String, start: String?) async throws -> ItemPage {
        let page = try await dynamoDB.queryPage(table: table, index: configuration.rotationIndexName, keyCondition: .init(
            "#p = :p AND #u < :t", names: ["#p": A.usagePlanID, "#u": A.updateTime], values: [":p": .string(planID), ":t": .string(before)]), startToken: start)
        return ItemPage(items: page.items.compactMap(Self.decode), readCount: page.scannedCount, next: page.next)
    }

    public func itemsDueForRetirement(planID: String, notAfter: String, start: String?) async throws -> ItemPage {
        let page = try await dynamoDB.queryPage(table: table, index: configuration.retirementIndexName, keyCondition: .init(
            "#p = :p AND #r <= :t", names: ["#p": A.usagePlanID, "#r": A.previousKeyRetireAt], values: [":p": .string(planID), ":t": .string(notAfter)]), startToken: start)
        return ItemPage(items: page.items.compactMap(Self.decode), readCount: page.scannedCount, next: page.next)
    }

    public func scan(start: String?) async throws -> ItemPage {
        let page = try await dynamoDB.scanPage(table: table, startToken: start)
        return ItemPage(items: page.items.compactMap(Self.decode), readCount: page.scannedCount, next: page.next)
    }

    public func markRotationStarted(itemID: String, fromKeyID keyID: String) async throws -> Bool {
        try await conditional {
            try await dynamoDB.updateItem(table: table, key: [A.itemID: .string(itemID)],
                                          update: .init("SET #rf = :k", names: ["#rf": A.rotatingFromKeyID], values: [":k": .string(keyID)]),
                                          condition: .init("#k = :k AND attribute_not_exists(#rf)", names: ["#k": A.keyID, "#rf": A.rotatingFromKeyID]))
        }
    }

    public func recordRotation(_ rotation: RecordedRotation) async throws -> Bool {
        let names = ["#k": A.keyID, "#u": A.updateTime, "#rf": A.rotatingFromKeyID, "#v": A.keyValue, "#pk": A.previousKeyID, "#pr": A.previousKeyRetireAt]
        var values: DynamoDBItem = [":new": .string(rotation.newKeyID), ":t": .string(rotation.updateTime), ":old": .string(rotation.oldKeyID)]
        var set = ["#k = :new", "#u = :t"]
        var remove = ["#rf"]
        if rotation.clearsPreviousKey {
            remove += ["#pk", "#pr"]
        } else {
            set += ["#pk = :old", "#pr = :r"]
            values[":r"] = .string(rotation.retireAt)
        }
        if let value = rotation.storedValue {
            set.append("#v = :v")
            values[":v"] = .string(value)
        } else {
            // A value left from before would be stale once the old key is retired.
            remove.append("#v")
        }
        let update = DynamoDBClient.Expression("SET " + set.joined(separator: ", ") + " REMOVE " + remove.joined(separator: ", "), names: names, values: values)
        return try await conditional {
            try await dynamoDB.updateItem(table: table, key: [A.itemID: .string(rotation.itemID)], update: update,
                                          condition: .init("#k = :old", names: ["#k": A.keyID], values: [":old": .string(rotation.oldKeyID)]))
        }
    }

    public func clearPreviousKey(itemID: String, previousKeyID: String) async throws -> Bool {
        try await conditional {
            try await dynamoDB.updateItem(table: table, key: [A.itemID: .string(itemID)],
                                          update: .init("REMOVE #pk, #pr", names: ["#pk": A.previousKeyID, "#pr": A.previousKeyRetireAt]),
                                          condition: .init("#pk = :p", names: ["#pk": A.previousKeyID], values: [":p": .string(previousKeyID)]))
        }
    }

    public func sweepCheckpoint() async throws -> String? {
        try await dynamoDB.getItem(table: table, key: [A.itemID: .string(KeyItem.sweepCheckpointItemID)])?[Self.cursorAttribute]?.stringValue
    }

    public func saveSweepCheckpoint(_ cursor: String?) async throws {
        let key: DynamoDBItem = [A.itemID: .string(KeyItem.sweepCheckpointItemID)]
        if let cursor {
            try await dynamoDB.putItem(table: table, item: key.merging([Self.cursorAttribute: .string(cursor)]) { $1 })
        } else {
            try await dynamoDB.deleteItem(table: table, key: key)
        }
    }

    /// Runs a conditional write: false when its condition did not hold.
    private func conditional(_ write: () async throws -> DynamoDBItem) async throws -> Bool {
        do {
            _ = try await write()
            return true
        } catch let error as AWSError where error.code == "ConditionalCheckFailedException" {
            return false
        }
    }

    /// An item as the rotation sees it; nil without a string `itemID`.
    static func decode(_ item: DynamoDBItem) -> KeyItem? {
        guard let id = item[A.itemID]?.stringValue else { return nil }
        return KeyItem(itemID: id, keyID: item[A.keyID]?.stringValue, usagePlanID: item[A.usagePlanID]?.stringValue,
                       updateTime: item[A.updateTime]?.stringValue, hasStoredValue: item[A.keyValue] != nil,
                       previousKeyID: item[A.previousKeyID]?.stringValue, previousKeyRetireAt: item[A.previousKeyRetireAt]?.stringValue,
                       rotatingFromKeyID: item[A.rotatingFromKeyID]?.stringValue)
    }
}
