/// A usage plan: its id, and whether it has a quota (whose usage a rotation carries over).
public struct PlanInfo: Sendable, Equatable, Hashable {
    public var id: String
    public var hasQuota: Bool

    public init(id: String, hasQuota: Bool = false) {
        self.id = id
        self.hasQuota = hasQuota
    }
}
