#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
/// An API Gateway API key. `description` shows a fingerprint of the value, never the value.
public struct APIKey: Decodable, Sendable, CustomStringConvertible {
    public var id: String
    /// The key value; present only when asked for (`includeValue`) or on creation.
    public var value: String?
    public var name: String?
    public var customerId: String?
    public var keyDescription: String?
    public var enabled: Bool?
    public var createdDate: Date?
    public var lastUpdatedDate: Date?
    public var stageKeys: [String]?
    public var tags: [String: String]?

    enum CodingKeys: String, CodingKey {
        case id, value, name, customerId, keyDescription = "description", enabled, createdDate, lastUpdatedDate, stageKeys, tags
    }

    public var description: String {
        "APIKey(id: \(id), name: \(name ?? "-"), enabled: \(enabled.map(String.init) ?? "-"), value: \(value == nil ? "not read" : "<redacted>"))"
    }
}

/// A usage plan (only the fields KeyRotator reads).
public struct UsagePlan: Decodable, Sendable {
    public var id: String
    public var name: String?
    public var description: String?
    public var apiStages: [APIStage]?
    /// The plan's request quota per key, when it has one.
    public var quota: Quota?

    /// How many requests a key may make per period (`DAY`, `WEEK` or `MONTH`).
    public struct Quota: Codable, Sendable, Equatable {
        public var limit: Int
        public var period: String
        public var offset: Int?
        public init(limit: Int, period: String, offset: Int? = nil) {
            self.limit = limit
            self.period = period
            self.offset = offset
        }
    }

    public struct APIStage: Codable, Sendable, Equatable {
        public var apiId: String?
        public var stage: String?
        public init(apiId: String, stage: String) {
            self.apiId = apiId
            self.stage = stage
        }
    }
}

/// A key attached to a usage plan.
public struct UsagePlanKey: Decodable, Sendable {
    public var id: String
    public var type: String?
    public var name: String?
}

/// One JSON-Patch style operation of `UpdateApiKey`.
public struct PatchOperation: Encodable, Sendable {
    public var op: String
    public var path: String
    public var value: String?

    public init(op: String, path: String, value: String? = nil) {
        self.op = op
        self.path = path
        self.value = value
    }

    public static func replace(_ path: String, _ value: String) -> PatchOperation { PatchOperation(op: "replace", path: path, value: value) }
}

/// A key's usage in a plan (`GetUsage`): per key id, one `[used, remaining]` pair per day from
/// `startDate` to `endDate`.
public struct UsagePlanUsage: Decodable, Sendable {
    public var usagePlanId: String?
    public var startDate: String?
    public var endDate: String?
    public var position: String?
    /// Key id -> `[[used, remaining], ...]`, one entry per day (the wire name is `values`).
    public var items: [String: [[Int]]]

    enum CodingKeys: String, CodingKey { case usagePlanId, startDate, endDate, position, items = "values" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        usagePlanId = try c.decodeIfPresent(String.self, forKey: .usagePlanId)
        startDate = try c.decodeIfPresent(String.self, forKey: .startDate)
        endDate = try c.decodeIfPresent(String.self, forKey: .endDate)
        position = try c.decodeIfPresent(String.self, forKey: .position)
        items = try c.decodeIfPresent([String: [[Int]]].self, forKey: .items) ?? [:]
    }

    /// What the key has left of its quota on the last day reported, nil when the answer has no day for it.
    public func remaining(keyId: String) -> Int? {
        guard let last = items[keyId]?.last, last.count >= 2 else { return nil }
        return last[1]
    }
}

struct APIGatewayPage<Item: Decodable & Sendable>: Decodable {
    var position: String?
    var items: [Item]?
    /// API Gateway's HAL answers nest the list under `item` in some operations.
    var item: [Item]?
}

/// A REST API's authorizer (only the fields KeyRotator reads).
public struct Authorizer: Decodable, Sendable {
    public var id: String
    public var name: String?
    /// `TOKEN`, `REQUEST` or `COGNITO_USER_POOLS`.
    public var type: String?
    /// For a Lambda authorizer, the invocation URI naming the function.
    public var authorizerUri: String?
    public var identitySource: String?
    /// How long API Gateway caches the authorizer's answer; absent means the default, 300.
    public var authorizerResultTtlInSeconds: Int?
}
