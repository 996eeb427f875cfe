extension StubHTTPServer {
    /// Starts a stub server, runs `body`, and shuts the server down whatever happens.
    public static func with<T: Sendable>(tls: TestCertificateAuthority.ServerIdentity? = nil, _ handler: @escaping Handler,
                                         body: (StubHTTPServer) async throws -> T) async throws -> T {
        let server = try await start(tls: tls, handler)
        do {
            let result = try await body(server)
            await server.shutdown()
            return result
        } catch {
            await server.shutdown()
            throw error
        }
    }
}
