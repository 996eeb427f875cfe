extension FaultProxy {
    /// Starts a proxy in front of `upstream`, runs `body`, and awaits the proxy's shutdown whatever
    /// happens, before returning what `body` returned or rethrowing what it threw.
    ///
    ///     try await FaultProxy.with(upstream: moto) { proxy in
    ///         proxy.addRule(.init("throttle", when: .target("GetSecretValue"), action: .throttling(.json)))
    ///         // point the client at proxy.endpoint ...
    ///     }
    public static func with<T: Sendable>(upstream: String, _ body: (FaultProxy) async throws -> T) async throws -> T {
        let proxy = try await start(upstream: upstream)
        let result: Result<T, any Error>
        do {
            result = .success(try await body(proxy))
        } catch {
            result = .failure(error)
        }
        try await proxy.shutdown()
        return try result.get()
    }

    /// Starts a proxy in front of `moto`, runs `body`, and awaits the proxy's shutdown whatever happens.
    public static func with<T: Sendable>(upstream moto: MotoServer, _ body: (FaultProxy) async throws -> T) async throws -> T {
        try await with(upstream: moto.endpoint, body)
    }
}
