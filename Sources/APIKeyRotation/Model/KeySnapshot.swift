/// A key as the sweep saw it in API Gateway: the plans it is in (and which of them have a quota),
/// and its customer id. Lets a queued rotation skip two API Gateway reads per key, which is what
/// keeps 10,000 rotations inside the account's management-call rate.
public struct KeySnapshot: Codable, Sendable, Equatable {
    public var plans: [String]
    /// The subset of `plans` that has a quota (their usage is carried over).
    public var quotaPlans: [String]
    public var customerId: String?

    public init(plans: [String], quotaPlans: [String] = [], customerId: String? = nil) {
        self.plans = plans
        self.quotaPlans = quotaPlans
        self.customerId = customerId
    }
}
