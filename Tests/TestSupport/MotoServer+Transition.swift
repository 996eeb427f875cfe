public import LocalEmulator

extension MotoServer {
    /// Sets moto's state-manager transition for `modelName`, runs `body`, and awaits the unset
    /// whatever happens.
    public func withTransition<T: Sendable>(modelName: String, _ progression: Progression, _ body: () async throws -> T) async throws -> T {
        try await setTransition(modelName: modelName, progression)
        return try await withCleanup(self, { _ in try await body() }) { try await $0.unsetTransition(modelName: modelName) }
    }
}
