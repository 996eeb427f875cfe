public import LocalEmulator

extension FaultProxy {
    /// Starts a proxy in front of `upstream`, runs `body`, and shuts the proxy down whatever happens.
    public static func with<T: Sendable>(upstream: String, _ body: (FaultProxy) async throws -> T) async throws -> T {
        let proxy = try await start(upstream: upstream)
        do {
            let result = try await body(proxy)
            try await proxy.shutdown()
            return result
        } catch {
            try? await proxy.shutdown()
            throw error
        }
    }

    /// Starts a proxy in front of `moto`, runs `body`, and shuts the proxy down whatever happens.
    public static func with<T: Sendable>(upstream moto: MotoServer, _ body: (FaultProxy) async throws -> T) async throws -> T {
        try await with(upstream: moto.endpoint, body)
    }
}
