/// One page of items with how many DynamoDB read to produce it.
public struct ItemPage: Sendable {
    public var items: [KeyItem]
    /// Items DynamoDB read (a Scan's filter drops items after reading them).
    public var readCount: Int
    public var next: String?

    public init(items: [KeyItem], readCount: Int, next: String?) {
        self.items = items
        self.readCount = readCount
        self.next = next
    }
}
