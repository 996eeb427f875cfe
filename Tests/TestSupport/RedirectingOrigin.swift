import NIOHTTP1
/// An origin that answers every request with `302 Found` to a second local server, which records
/// what reaches it: a client that sends a secret header must never follow that redirect.
public struct RedirectingOrigin: Sendable {
    /// The server the redirect points at; its requests are what a followed redirect would leak.
    public let elsewhere: StubHTTPServer
    public let origin: StubHTTPServer

    public var endpoint: String { origin.endpoint + "/health" }
    /// `127.0.0.1:PORT` of the server the redirect points at.
    public var elsewhereHost: String { "127.0.0.1:\(elsewhere.port)" }

    public static func start() async throws -> RedirectingOrigin {
        let elsewhere = try await StubHTTPServer.start { _, _ in .respond(status: 200, body: "ok") }
        let target = "\(elsewhere.endpoint)/collect?from=origin"
        let origin = try await StubHTTPServer.start { _, _ in .respond(status: 302, headers: ["Location": target]) }
        return RedirectingOrigin(elsewhere: elsewhere, origin: origin)
    }

    /// Runs `body` with a redirecting origin, and stops both servers afterwards.
    public static func with<T>(_ body: (RedirectingOrigin) async throws -> T) async throws -> T {
        let servers = try await start()
        do {
            let result = try await body(servers)
            await servers.shutdown()
            return result
        } catch {
            await servers.shutdown()
            throw error
        }
    }

    public func shutdown() async {
        await origin.shutdown()
        await elsewhere.shutdown()
    }
}
