public import Logging
public import OriginVerifier

extension GuardedOrigin {
    /// Starts an origin guarded by `verifier`, runs `body`, and stops the origin gracefully whatever
    /// happens, before returning what `body` returned or rethrowing what it threw.
    ///
    ///     try await GuardedOrigin.with(verifier: verifier, logger: logger) { origin in
    ///         // send requests to origin.url ...
    ///     }
    public static func with<T: Sendable>(verifier: OriginVerifier, resultCache: AuthorizerResultCache? = nil, logger: Logger,
                                         _ body: (GuardedOrigin) async throws -> T) async throws -> T {
        let origin = try await start(verifier: verifier, resultCache: resultCache, logger: logger)
        do {
            let result = try await body(origin)
            await origin.stop()
            return result
        } catch {
            await origin.stop()
            throw error
        }
    }
}
