extension RuntimeAPIEmulator {
    /// Starts `bootstrap` as ``start(handler:environment:executable:arguments:)`` does, runs `body`,
    /// and awaits ``stop()`` whatever happens, before returning what `body` returned or rethrowing.
    public static func with<T: Sendable>(
        handler: String?,
        environment: [String: String] = [:],
        executable: String? = nil,
        arguments: [String] = [],
        _ body: (RuntimeAPIEmulator) async throws -> T
    ) async throws -> T {
        let lambda = try await start(handler: handler, environment: environment, executable: executable, arguments: arguments)
        return try await withCleanup(lambda, body) { await $0.stop() }
    }
}
