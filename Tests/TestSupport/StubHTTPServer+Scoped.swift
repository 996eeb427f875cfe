extension StubHTTPServer {
    /// Starts a stub server, runs `body`, and shuts the server down whatever happens.
    public static func with<T: Sendable>(tls: TestCertificateAuthority.ServerIdentity? = nil, _ handler: @escaping Handler,
                                         body: (StubHTTPServer) async throws -> T) async throws -> T {
        try await withCleanup(try await start(tls: tls, handler), body) { await $0.shutdown() }
    }
}
