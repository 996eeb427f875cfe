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

struct APIGatewayPage<Item: Decodable & Sendable>: Decodable {
    var position: String?
    var items: [Item]?
    /// API Gateway's HAL answers nest the list under `item` in some operations.
    var item: [Item]?
}
