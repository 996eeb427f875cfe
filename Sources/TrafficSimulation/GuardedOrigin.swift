import Hummingbird
public import Logging
import NIOCore
public import OriginVerifier
import OriginVerifierHummingbird
import ServiceLifecycle

/// A local origin guarded by the real verifier: `GET /health` answers 200 "ok" when the request
/// carries a valid origin header, 403 otherwise. Listens on 127.0.0.1 and a free port. With an
/// `AuthorizerResultCache`, the verifier sits behind a stand-in for API Gateway's authorizer result
/// cache, as it does when it runs as a Lambda authorizer.
public final class GuardedOrigin: Sendable {
    public let verifier: OriginVerifier
    /// The stand-in for API Gateway's authorizer result cache in front of the verifier, if any.
    public let resultCache: AuthorizerResultCache?
    public let port: Int
    private let task: Task<Void, any Error>
    private let group: ServiceGroup

    /// `http://127.0.0.1:PORT/health`
    public var url: String { "http://127.0.0.1:\(port)/health" }

    public static func start(verifier: OriginVerifier, resultCache: AuthorizerResultCache? = nil, logger: Logger) async throws -> GuardedOrigin {
        let router = Router()
        if let resultCache {
            guard let name = HTTPFields.Element.Name(verifier.configuration.headerName) else {
                throw OriginVerifierError.invalidEnvironment(variable: "HEADER_NAME", expected: "an HTTP header name such as x-origin-verify")
            }
            router.add(middleware: AuthorizerCacheMiddleware(verifier: verifier, cache: resultCache, headerName: name))
        } else {
            router.add(middleware: try OriginVerifierMiddleware(verifier: verifier))
        }
        router.get("health") { _, _ in "ok" }
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var quiet = logger
        quiet.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in
                                  portContinuation.yield(channel.localAddress?.port ?? 0)
                                  portContinuation.finish()
                              }, logger: quiet)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: quiet))
        let task = Task { try await group.run() }
        var port = 0
        for await bound in portStream { port = bound }
        guard port > 0 else {
            task.cancel()
            throw CancellationError()
        }
        return GuardedOrigin(verifier: verifier, resultCache: resultCache, port: port, task: task, group: group)
    }

    private init(verifier: OriginVerifier, resultCache: AuthorizerResultCache?, port: Int, task: Task<Void, any Error>, group: ServiceGroup) {
        self.verifier = verifier
        self.resultCache = resultCache
        self.port = port
        self.task = task
        self.group = group
    }

    /// Stops the server gracefully: requests in flight are answered first.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}
