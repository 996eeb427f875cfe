import NIOHTTP1
import Synchronization

/// A small origin for rotation tests: answers 200 when the secret header holds one of the
/// accepted values and 403 otherwise (or 200 to everything, for the "accepts anything" case).
public final class TestOrigin: Sendable {
    private let server: StubHTTPServer
    private let accepted: Box

    final class Box: Sendable {
        let values: Mutex<Set<String>>
        init(_ values: Set<String>) { self.values = Mutex(values) }
    }

    public var endpoint: String { server.endpoint + "/health" }
    public var requests: [StubHTTPServer.Request] { server.requests }

    public static func start(accepting values: Set<String>, headerName: String = "x-origin-verify", acceptEverything: Bool = false,
                             tls: TestCertificateAuthority.ServerIdentity? = nil) async throws -> TestOrigin {
        let box = Box(values)
        let server = try await StubHTTPServer.start(tls: tls) { request, _ in
            if acceptEverything { return .respond(status: 200, body: "ok") }
            let sent = request.headers.first(name: headerName) ?? ""
            return box.values.withLock { $0.contains(sent) } ? .respond(status: 200, body: "ok") : .respond(status: 403, body: "forbidden")
        }
        return TestOrigin(server: server, accepted: box)
    }

    private init(server: StubHTTPServer, accepted: Box) {
        self.server = server
        self.accepted = accepted
    }

    /// Replaces the accepted values.
    public func accept(_ values: Set<String>) { accepted.values.withLock { $0 = values } }

    public func shutdown() async { await server.shutdown() }
}

extension TestOrigin {
    /// Starts an origin as ``start(accepting:headerName:acceptEverything:tls:)`` does, runs `body`,
    /// and awaits its shutdown whatever happens.
    public static func with<T: Sendable>(accepting values: Set<String>, headerName: String = "x-origin-verify", acceptEverything: Bool = false,
                                         tls: TestCertificateAuthority.ServerIdentity? = nil, _ body: (TestOrigin) async throws -> T) async throws -> T {
        let origin = try await start(accepting: values, headerName: headerName, acceptEverything: acceptEverything, tls: tls)
        return try await withCleanup(origin, body) { await $0.shutdown() }
    }
}
