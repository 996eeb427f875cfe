/// Caches what a provider returns and refreshes temporary credentials shortly before they
/// expire: once, however many callers ask at the same time.
public actor CredentialCache {
    private let provider: any CredentialProvider
    private let refreshMargin: Duration
    private let now: @Sendable () -> Date
    private var cached: AWSCredentials?
    private var refresh: Task<AWSCredentials, any Error>?

    /// - Parameter refreshMargin: how long before `expiration` to fetch new credentials.
    public init(provider: any CredentialProvider, refreshMargin: Duration = .seconds(300), now: @escaping @Sendable () -> Date = { Date() }) {
        self.provider = provider
        self.refreshMargin = refreshMargin
        self.now = now
    }

    /// Valid credentials, fetched or refreshed if needed.
    public func credentials() async throws -> AWSCredentials {
        let current = now()
        if let cached, !needsRefresh(cached, at: current) { return cached }
        if let refresh { return try await refresh.value }
        let provider = self.provider
        let task = Task<AWSCredentials, any Error> {
            guard let credentials = try await provider.credentials() else {
                throw AWSConfigurationError.noCredentials(tried: [provider.name])
            }
            return credentials
        }
        refresh = task
        defer { refresh = nil }
        do {
            let fresh = try await task.value
            cached = fresh
            return fresh
        } catch {
            // Still-valid credentials inside the refresh margin keep working if the refresh fails.
            if let cached, let expiration = cached.expiration, expiration > now() { return cached }
            throw error
        }
    }

    private func needsRefresh(_ credentials: AWSCredentials, at date: Date) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        let margin = Double(refreshMargin.components.seconds) + Double(refreshMargin.components.attoseconds) / 1e18
        return expiration.timeIntervalSince(date) <= margin
    }
}
