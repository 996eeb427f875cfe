public import LocalEmulator

extension FaultProxy {
    /// Starts a proxy in front of `upstream`, runs `body`, and awaits the proxy's shutdown whatever
    /// happens, before returning what `body` returned or rethrowing what it threw.
    ///
    ///     try await FaultProxy.with(upstream: moto) { proxy in
    ///         proxy.addRule(.init("throttle", when: .target("GetSecretValue"), action: .throttling(.json)))
    ///         // point the client at proxy.endpoint ...
    ///     }
    public static func with<T: Sendable>(upstream: String, _ body: (FaultProxy) async throws -> T) async throws -> T {
        try await withCleanup(try await start(upstream: upstream), body) { try await $0.shutdown() }
    }

    /// Starts a proxy in front of `moto`, runs `body`, and awaits the proxy's shutdown whatever happens.
    public static func with<T: Sendable>(upstream moto: MotoServer, _ body: (FaultProxy) async throws -> T) async throws -> T {
        try await with(upstream: moto.endpoint, body)
    }
}
