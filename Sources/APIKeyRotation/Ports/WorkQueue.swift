/// Where the sweep puts work for `apikey-rotate`: the SQS queue of `ROTATION_QUEUE_URL`.
public protocol WorkQueue: Sendable {
    /// Sends up to 10 items; returns the indexes (into `items`) of those the queue did not accept.
    func send(_ items: [WorkItem]) async throws -> [Int]
}
