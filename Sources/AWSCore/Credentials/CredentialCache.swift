#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
/// Caches what a provider returns and refreshes temporary credentials shortly before they
/// expire: once, however many callers ask at the same time.
public actor CredentialCache {
    private let provider: any CredentialProvider
    private let refreshMargin: Duration
    private let now: @Sendable () -> Date
    private var cached: ResolvedCredentials?
    private var refresh: Task<ResolvedCredentials, any Error>?

    /// - Parameter refreshMargin: how long before `expiration` to fetch new credentials.
    public init(provider: any CredentialProvider, refreshMargin: Duration = .seconds(300), now: @escaping @Sendable () -> Date = { Date() }) {
        self.provider = provider
        self.refreshMargin = refreshMargin
        self.now = now
    }

    /// Valid credentials, fetched or refreshed if needed.
    public func credentials() async throws -> AWSCredentials {
        try await resolve().credentials
    }

    /// Valid credentials with the sources they came through, fetched or refreshed if needed.
    public func resolve() async throws -> ResolvedCredentials {
        let current = now()
        if let cached, !needsRefresh(cached.credentials, at: current) { return cached }
        if let refresh { return try await refresh.value }
        let provider = self.provider
        let task = Task<ResolvedCredentials, any Error> {
            guard let resolved = try await provider.resolve() else {
                throw AWSConfigurationError.noCredentials(tried: [provider.name])
            }
            return resolved
        }
        refresh = task
        defer { refresh = nil }
        do {
            let fresh = try await task.value
            cached = fresh
            return fresh
        } catch {
            // Still-valid credentials inside the refresh margin keep working if the refresh fails.
            if let cached, let expiration = cached.credentials.expiration, expiration > now() { return cached }
            throw error
        }
    }

    private func needsRefresh(_ credentials: AWSCredentials, at date: Date) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        let margin = refreshMargin / .seconds(1)
        return expiration.timeIntervalSince(date) <= margin
    }
}
