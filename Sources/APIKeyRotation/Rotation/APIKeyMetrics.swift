public import CoreMetrics

/// What the API-key functions report through swift-metrics: EMF documents in `apikey-sweep` and
/// `apikey-rotate`, the host's backend elsewhere. Dimensions are the action (`rotate`, `retire`),
/// never an item id, a key id or a value.
public struct APIKeyMetrics: Sendable {
    /// The swift-metrics labels (the CloudWatch metric names).
    public enum Name {
        /// Counter: items a sweep read from the table.
        public static let itemsRead = "APIKeyItemsRead"
        /// Counter: items a sweep found due for rotation.
        public static let itemsDue = "APIKeyItemsDue"
        /// Counter: old keys a sweep found past their grace period.
        public static let itemsRetiring = "APIKeyItemsRetiring"
        /// Counter: units of work the queue accepted.
        public static let itemsQueued = "APIKeyItemsQueued"
        /// Counter: due items a sweep left for later because the account is at its key limit.
        public static let waitingForHeadroom = "APIKeyWaitingForHeadroom"
        /// Counter: work a sweep could not queue (found again by the next sweep).
        public static let queueFailures = "APIKeyQueueFailures"
        /// Gauge: how many more API keys the account's limit allows, when the sweep started.
        public static let keyHeadroom = "APIKeyHeadroom"
        /// Counter: keys rotated (a new key created, attached and recorded).
        public static let rotated = "APIKeyRotated"
        /// Counter: old keys retired (detached and deleted) after their grace period.
        public static let retired = "APIKeyRetired"
        /// Counter, dimension `Action`: units of work that failed (retried by the queue).
        public static let failed = "APIKeyWorkFailed"
        /// Counter: API Gateway calls throttled (`TooManyRequestsException`) and backed off.
        public static let throttled = "APIKeyThrottled"
    }

    private let factory: any MetricsFactory

    /// Reports through `factory` (by default the process's `MetricsSystem`).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    func swept(_ report: SweepReport) {
        count(Name.itemsRead, report.read)
        count(Name.itemsDue, report.due)
        count(Name.itemsRetiring, report.retiring)
        count(Name.itemsQueued, report.queued)
        count(Name.waitingForHeadroom, report.waitingForHeadroom)
        count(Name.queueFailures, report.failedToQueue)
        Gauge(label: Name.keyHeadroom, factory: factory).record(report.keyHeadroom)
    }

    func performed(_ outcome: RotationOutcome) {
        switch outcome.result {
        case .rotated: count(Name.rotated, 1)
        case .retired: count(Name.retired, 1)
        case .alreadyRotated, .alreadyRetired: break
        }
    }

    func failed(_ action: WorkItem.Action) {
        Counter(label: Name.failed, dimensions: [("Action", action.rawValue)], factory: factory).increment()
    }

    func throttled() {
        count(Name.throttled, 1)
    }

    private func count(_ label: String, _ amount: Int) {
        Counter(label: label, factory: factory).increment(by: amount)
    }
}
