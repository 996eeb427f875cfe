public import AWSServices
public import Logging
import Synchronization

/// Simulated CloudFront edge locations for one distribution. A watcher reads the distribution's
/// configuration; when the secret header's value changes, each edge keeps sending the previous
/// value for its own lag before it switches, as real edges do for minutes (even after the
/// distribution reports `Deployed`). Lags are spread evenly from `maxLag / edgeCount` to `maxLag`.
public final class EdgeFleet: Sendable {
    public let distributionId: String
    public let headerName: String
    public let lags: [Duration]
    private let cloudFront: CloudFrontClient
    private let history = Mutex<[(observedAt: ContinuousClock.Instant, value: String)]>([])
    /// Edges held on what they sent at the moment they were held, by index.
    private let held = Mutex<[Int: ContinuousClock.Instant]>([:])

    public init(cloudFront: CloudFrontClient, distributionId: String, headerName: String, edgeCount: Int = 4, maxLag: Duration) {
        self.cloudFront = cloudFront
        self.distributionId = distributionId
        self.headerName = headerName
        let count = max(1, edgeCount)
        self.lags = (1...count).map { maxLag * (Double($0) / Double(count)) }
    }

    /// The value edge `index` sends at `now`: the newest value it has had its lag to pick up, or
    /// the first value ever seen. A held edge sends what it sent when it was held.
    public func value(edge index: Int, at now: ContinuousClock.Instant = .now) -> String? {
        let edge = index % lags.count
        let lag = lags[edge]
        let asOf = held.withLock { $0[edge] }.map { min($0, now) } ?? now
        return history.withLock { entries in
            entries.last { $0.observedAt + lag <= asOf }?.value ?? entries.first?.value
        }
    }

    /// Holds edge `index` on the value it sends now until ``release(edge:)``: an edge slower than
    /// any lag, for a run that must see the old value after a given moment whatever the machine's load.
    public func hold(edge index: Int) {
        let edge = index % lags.count
        held.withLock { $0[edge] = $0[edge] ?? .now }
    }

    /// Lets a held edge catch up: it sends what its lag allows from now on.
    public func release(edge index: Int) {
        _ = held.withLock { $0.removeValue(forKey: index % lags.count) }
    }

    /// Reads the configuration once and records a changed value.
    public func refresh() async throws {
        let config = try await cloudFront.getDistributionConfig(id: distributionId).config
        guard let value = config.origins.flatMap(\.customHeaders).first(where: { $0.name.lowercased() == headerName.lowercased() })?.value else { return }
        history.withLock { entries in
            if entries.last?.value != value { entries.append((.now, value)) }
        }
    }

    /// Reads the configuration every `interval` until the task is cancelled.
    public func watch(every interval: Duration, logger: Logger) async {
        while !Task.isCancelled {
            do {
                try await refresh()
            } catch is CancellationError {
                return
            } catch {
                logger.warning("edge watcher could not read the distribution", metadata: ["distribution": "\(distributionId)", "error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// How many different values the distribution has had since watching began.
    public var valuesSeen: Int { history.withLock { $0.count } }
}
