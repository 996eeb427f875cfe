public import Logging

extension TrafficGenerator {
    /// Runs live traffic while `body` runs: the fleet's watcher reads the distribution every
    /// `watchInterval` and requests go out from every edge at the configured rate, timed from
    /// `start`. Both are cancelled and awaited before this returns, whatever `body` does.
    public func whileRunning<T: Sendable>(startedAt start: ContinuousClock.Instant = .now, watchEvery watchInterval: Duration = .milliseconds(200),
                                          logger: Logger, _ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.fleet.watch(every: watchInterval, logger: logger) }
            group.addTask { await self.run(startedAt: start) }
            defer { group.cancelAll() }
            return try await body()
        }
    }
}
