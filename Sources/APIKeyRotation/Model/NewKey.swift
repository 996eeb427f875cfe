/// The key to create.
public struct NewKey: Sendable, Equatable {
    public var name: String
    public var description: String
    public var customerId: String?
    public var tags: [String: String]

    public init(name: String, description: String, customerId: String?, tags: [String: String]) {
        self.name = name
        self.description = description
        self.customerId = customerId
        self.tags = tags
    }
}
