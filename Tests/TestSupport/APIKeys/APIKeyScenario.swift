import APIKeyRotation
public import AWSCore
public import AWSServices
import Foundation
import KeyMaterial
public import LocalEmulator
public import Logging

/// A fresh API-key world in the emulators: a table (with the sweep's indexes or seed 002's bare
/// one), a rotation queue, usage plans, and items whose keys are attached to them. API Gateway
/// calls go to `apiGatewayEndpoint` (moto by default, or LocalStack), everything else to moto.
public struct APIKeyScenario: Sendable {
    public let moto: MotoServer
    /// Where API Gateway calls go (moto's endpoint unless LocalStack stands in).
    public let apiGatewayEndpoint: String
    public let tableName: String
    public let queueURL: String
    public let planIDs: [String]
    /// Item id -> the key it was created with.
    public let items: [(itemID: String, keyID: String)]
    public let client: AWSClient

    /// Creates the scenario: `itemCount` items, each key in every plan of `plansPerKey`, last rotated `ageDays` ago.
    public static func make(moto: MotoServer, apiGatewayEndpoint: String? = nil, indexed: Bool = true, itemCount: Int = 1, plans: Int = 1,
                            ageDays: Double = 40, quota: UsagePlan.Quota? = nil, apiStage: UsagePlan.APIStage? = nil) async throws -> APIKeyScenario {
        let client = moto.client(apiGatewayEndpoint: apiGatewayEndpoint)
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let table = "keys-\(suffix)"
        let configuration = APIKeyRotationConfiguration(tableName: table)
        let dynamoDB = DynamoDBClient(client: client)
        try await dynamoDB.createTable(name: table, hashKey: KeyItem.Attribute.itemID,
                                       indexes: indexed ? DynamoDBKeyItemTable.indexDefinitions(configuration: configuration) : [])
        let queueURL = try await SQSClient(client: client).createQueue(name: "rotation-\(suffix)")
        let apiGateway = APIGatewayClient(client: client)
        var planIDs: [String] = []
        for index in 0..<plans {
            planIDs.append(try await apiGateway.createUsagePlan(name: "plan-\(suffix)-\(index)", apiStages: apiStage.map { [$0] } ?? [], quota: quota).id)
        }
        var items: [(itemID: String, keyID: String)] = []
        let updateTime = RotationTimestamp.string(from: Date().addingTimeInterval(-ageDays * 86400))
        for index in 0..<itemCount {
            let itemID = "item-\(suffix)-\(index)"
            let key = try await apiGateway.createApiKey(name: "client-\(suffix)-\(index)", customerId: "customer-\(index)")
            for plan in planIDs { try await apiGateway.createUsagePlanKey(usagePlanId: plan, keyId: key.id) }
            try await dynamoDB.putItem(table: table, item: [
                "itemID": .string(itemID), "APIGWKeyID": .string(key.id), "usagePlanID": .string(planIDs[0]),
                "updateTime": .string(updateTime), "APIKeyValue": .string(key.value ?? ""),
            ])
            items.append((itemID, key.id))
        }
        return APIKeyScenario(moto: moto, apiGatewayEndpoint: apiGatewayEndpoint ?? moto.endpoint, tableName: table, queueURL: queueURL,
                              planIDs: planIDs, items: items, client: client)
    }

    /// The functions' environment: AWS pointed at the emulators (or at `endpoint`, e.g. a fault
    /// proxy), `TABLE_NAME`, `ROTATION_QUEUE_URL`.
    public func environment(endpoint: String? = nil, apiGatewayEndpoint: String? = nil, extra: [String: String] = [:]) -> [String: String] {
        var environment = moto.environment()
        environment["AWS_EC2_METADATA_DISABLED"] = "true"
        if let endpoint { environment["AWS_ENDPOINT_URL"] = endpoint }
        let gateway = apiGatewayEndpoint ?? (self.apiGatewayEndpoint == moto.endpoint ? nil : self.apiGatewayEndpoint)
        if let gateway { environment["AWS_ENDPOINT_URL_API_GATEWAY"] = gateway }
        environment["TABLE_NAME"] = tableName
        environment["ROTATION_QUEUE_URL"] = queueURL
        // The emulators do not throttle: keep the tests fast (the benchmark measures the real rates).
        environment["APIGATEWAY_CALL_RATE"] = "1000"
        environment["APIGATEWAY_KEY_RATE"] = "1000"
        environment["MAX_CONCURRENCY"] = "1"
        environment.merge(extra) { _, new in new }
        return environment
    }

    /// The item as stored.
    public func item(_ itemID: String) async throws -> DynamoDBItem? {
        try await DynamoDBClient(client: client).getItem(table: tableName, key: ["itemID": .string(itemID)])
    }

    /// Every key API Gateway holds whose name belongs to this scenario (its clients' keys and the keys rotations made from them).
    public func keys() async throws -> [APIKey] {
        let all = try await APIGatewayClient(client: client).getApiKeys(limit: 500).collect().flatMap { $0 }
        let ours = Set(items.map(\.keyID))
        return all.filter { key in
            ours.contains(key.id) || (key.name?.hasPrefix(KeyNaming.prefix) ?? false && items.contains { key.name?.hasSuffix("-" + fingerprint($0.itemID)) ?? false })
        }
    }

    /// The keys of item `index`: the key it was created with and those rotations made for it.
    public func keys(ofItem index: Int) async throws -> [APIKey] {
        let (itemID, original) = items[index]
        let all = try await APIGatewayClient(client: client).getApiKeys(limit: 500).collect().flatMap { $0 }
        return all.filter { $0.id == original || ($0.name?.hasPrefix(KeyNaming.prefix) ?? false && $0.name?.hasSuffix("-" + fingerprint(itemID)) ?? false) }
    }

    /// Keys of this scenario that no item names (current or previous).
    public func orphanKeys() async throws -> [String] {
        var named: Set<String> = []
        for (itemID, _) in items {
            let item = try await self.item(itemID)
            for attribute in ["APIGWKeyID", "previousAPIGWKeyID"] { if let id = item?[attribute]?.stringValue { named.insert(id) } }
        }
        return try await keys().map(\.id).filter { !named.contains($0) }
    }

    /// The plans a key is in, as API Gateway lists them (the plan's keys, which LocalStack keeps exact; moto keeps deleted keys).
    public func plans(of keyID: String) async throws -> [String] {
        var result: [String] = []
        for plan in planIDs {
            let keys = try await APIGatewayClient(client: client).getUsagePlanKeys(usagePlanId: plan).collect().flatMap { $0 }
            if keys.contains(where: { $0.id == keyID }) { result.append(plan) }
        }
        return result
    }

    /// Whether API Gateway still has the key.
    public func keyExists(_ keyID: String) async throws -> Bool {
        do {
            _ = try await APIGatewayClient(client: client).getApiKey(id: keyID)
            return true
        } catch let error as AWSError where error.code == "NotFoundException" {
            return false
        }
    }

    /// Makes an item's key look as if it was last changed `ageDays` ago, or its grace over.
    public func age(_ itemID: String, updateTimeDaysAgo ageDays: Double? = nil, graceEndedHoursAgo: Double? = nil) async throws {
        var sets: [String] = []
        var values: DynamoDBItem = [:]
        if let ageDays {
            sets.append("updateTime = :u")
            values[":u"] = .string(RotationTimestamp.string(from: Date().addingTimeInterval(-ageDays * 86400)))
        }
        if let graceEndedHoursAgo {
            sets.append("previousKeyRetireAt = :r")
            values[":r"] = .string(RotationTimestamp.string(from: Date().addingTimeInterval(-graceEndedHoursAgo * 3600)))
        }
        guard !sets.isEmpty else { return }
        try await DynamoDBClient(client: client).updateItem(table: tableName, key: ["itemID": .string(itemID)],
                                                            update: .init("SET " + sets.joined(separator: ", "), values: values))
    }
}

extension MotoServer {
    /// A client for moto, with API Gateway calls sent to `apiGatewayEndpoint` when given (LocalStack).
    /// A retried create would fail as a duplicate: the timeout is long enough for a loaded emulator.
    public func client(apiGatewayEndpoint: String?, logger: Logger = Logger(label: "test")) -> AWSClient {
        var variables = ["AWS_ENDPOINT_URL": endpoint]
        if let apiGatewayEndpoint { variables["AWS_ENDPOINT_URL_API_GATEWAY"] = apiGatewayEndpoint }
        return AWSClient(region: region, credentialProvider: StaticCredentialProvider(AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey)),
                         environment: AWSEnvironment(variables: variables, homeDirectory: "/nonexistent"),
                         retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxBackoff: .milliseconds(200)), timeout: .seconds(30), logger: logger)
    }
}
