#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A key as API Gateway holds it (never its value).
public struct StoredKey: Sendable, Equatable {
    public var id: String
    public var name: String?
    public var customerId: String?
    public var enabled: Bool
    public var createdDate: Date?
    public var tags: [String: String]

    public init(id: String, name: String?, customerId: String? = nil, enabled: Bool = true, createdDate: Date? = nil, tags: [String: String] = [:]) {
        self.id = id
        self.name = name
        self.customerId = customerId
        self.enabled = enabled
        self.createdDate = createdDate
        self.tags = tags
    }
}
