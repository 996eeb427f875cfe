import Hummingbird
import Logging
import NIOCore
import OriginVerifier
import OriginVerifierHummingbird
import ServiceLifecycle

/// A local origin guarded by the real verifier: `GET /health` answers 200 "ok" when the request
/// carries a valid origin header, 403 otherwise. Listens on 127.0.0.1 and a free port.
public final class GuardedOrigin: Sendable {
    public let verifier: OriginVerifier
    public let port: Int
    private let task: Task<Void, any Error>
    private let group: ServiceGroup

    /// `http://127.0.0.1:PORT/health`
    public var url: String { "http://127.0.0.1:\(port)/health" }

    public static func start(verifier: OriginVerifier, logger: Logger) async throws -> GuardedOrigin {
        let router = Router()
        router.add(middleware: try OriginVerifierMiddleware(verifier: verifier))
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
        return GuardedOrigin(verifier: verifier, port: port, task: task, group: group)
    }

    private init(verifier: OriginVerifier, port: Int, task: Task<Void, any Error>, group: ServiceGroup) {
        self.verifier = verifier
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
