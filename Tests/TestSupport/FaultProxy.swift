import AsyncHTTPClient
public import LocalEmulator
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// An HTTP/1.1 reverse proxy on 127.0.0.1 in front of an upstream (moto), that injects faults
/// (errors, throttling, resets, delays, timeouts, rewritten answers) and counts requests.
///
/// Requests are forwarded with every header unchanged, `Host` included, so SigV4 signatures
/// made for the proxy's endpoint still verify upstream.
///
///     let proxy = try await FaultProxy.start(upstream: moto.endpoint)
///     proxy.addRule(.init("throttle", when: .target("GetSecretValue"), schedule: .everyNth(3),
///                         action: .throttling(.json)))
///     // point the client at proxy.endpoint ...
///     #expect(proxy.count(.target("GetSecretValue")) == 6)
///     try await proxy.shutdown()
public final class FaultProxy: Sendable {
    /// Base URL of the proxy, e.g. `http://127.0.0.1:40124`.
    public let endpoint: String
    /// The loopback port the proxy listens on.
    public let port: Int
    /// The upstream base URL requests are forwarded to.
    public let upstream: String

    private struct State {
        var rules: [ActiveRule] = []
        var handler: (@Sendable (Request) -> Action)?
        var received: [Request] = []
        var nextSequenceNumber = 1
        var connections: [ObjectIdentifier: any Channel] = [:]
        var isShutDown = false
    }

    private let state = Mutex(State())
    let client: HTTPClient
    private let serverChannel: any Channel
    private let serving: Mutex<Task<Void, Never>?> = Mutex(nil)

    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    private init(endpoint: String, port: Int, upstream: String, client: HTTPClient, serverChannel: any Channel) {
        self.endpoint = endpoint
        self.port = port
        self.upstream = upstream
        self.client = client
        self.serverChannel = serverChannel
    }

    /// Starts a proxy on 127.0.0.1 and a free port, forwarding to `upstream` (`http://127.0.0.1:PORT`).
    public static func start(upstream: String) async throws -> FaultProxy {
        let trimmed = upstream.hasSuffix("/") ? String(upstream.dropLast()) : upstream
        guard trimmed.hasPrefix("http://") else { throw FaultProxyError.unsupportedUpstream(upstream) }
        let configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(5), read: .seconds(120)),
            decompression: .disabled
        )
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        let server: NIOAsyncChannel<Connection, Never>
        do {
            server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .bind(host: "127.0.0.1", port: 0) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        return try Connection(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            try? await client.shutdown()
            throw FaultProxyError.cannotBind(reason: "\(error)")
        }
        guard let port = server.channel.localAddress?.port else {
            try? await server.channel.close()
            try? await client.shutdown()
            throw FaultProxyError.cannotBind(reason: "no local port")
        }
        let proxy = FaultProxy(
            endpoint: "http://127.0.0.1:\(port)", port: port, upstream: trimmed, client: client, serverChannel: server.channel
        )
        let task = Task { await proxy.acceptConnections(server) }
        proxy.serving.withLock { $0 = task }
        return proxy
    }

    /// Starts a proxy in front of `moto`.
    public static func start(upstream moto: MotoServer) async throws -> FaultProxy {
        try await start(upstream: moto.endpoint)
    }

    // MARK: Rules

    /// Appends a rule; rules are tried in order and the first that fires decides.
    public func addRule(_ rule: Rule) {
        state.withLock { $0.rules.append(ActiveRule(rule)) }
    }

    /// Puts `rule` before every other rule, so that it is tried first.
    public func addRuleFirst(_ rule: Rule) {
        state.withLock { $0.rules.insert(ActiveRule(rule), at: 0) }
    }

    /// Removes the rules called `name`; the others keep their counters.
    public func removeRules(named name: String) {
        state.withLock { $0.rules.removeAll { $0.rule.name == name } }
    }

    /// Replaces all rules (and their counters).
    public func setRules(_ rules: [Rule]) {
        state.withLock { $0.rules = rules.map(ActiveRule.init) }
    }

    /// Decides for every request no rule fired on; without it such requests are forwarded.
    public func setRule(_ decide: @escaping @Sendable (Request) -> Action) {
        state.withLock { $0.handler = decide }
    }

    /// Removes every rule and the handler: all requests are forwarded.
    public func removeAllRules() {
        state.withLock {
            $0.rules = []
            $0.handler = nil
        }
    }

    // MARK: Counters

    /// Every request received so far, in arrival order.
    public var requests: [Request] { state.withLock { $0.received } }

    /// How many requests the proxy received.
    public var requestCount: Int { state.withLock { $0.received.count } }

    /// How many received requests satisfy `match`, e.g. `count(.target("GetSecretValue"))`.
    public func count(_ match: Match) -> Int {
        requests.lazy.filter { match($0) }.count
    }

    /// How many times the rule called `name` acted.
    public func hits(rule name: String) -> Int {
        state.withLock { $0.rules.filter { $0.rule.name == name }.reduce(0) { $0 + $1.fired } }
    }

    /// Forgets received requests (rules keep their counters).
    public func resetCounters() {
        state.withLock { $0.received = [] }
    }

    // MARK: Lifecycle

    /// Stops accepting, closes open connections (stalled ones included) and the upstream client.
    public func shutdown() async throws {
        let connections = state.withLock { state in
            state.isShutDown = true
            return Array(state.connections.values)
        }
        try? await serverChannel.close()
        for connection in connections { try? await connection.close() }
        await serving.withLock { $0 }?.value
        try await client.shutdown()
    }

    func acceptConnections(_ server: NIOAsyncChannel<Connection, Never>) async {
        await withDiscardingTaskGroup { group in
            try? await server.executeThenClose { inbound in
                for try await connection in inbound {
                    group.addTask { await self.serve(connection) }
                }
            }
        }
    }

    private func serve(_ connection: Connection) async {
        let channel = connection.channel
        let id = ObjectIdentifier(channel)
        let accepted = state.withLock { state in
            if !state.isShutDown { state.connections[id] = channel }
            return !state.isShutDown
        }
        defer { _ = state.withLock { $0.connections.removeValue(forKey: id) } }
        guard accepted else {
            try? await channel.close()
            return
        }
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body = ByteBuffer()
            var stalled = false
            for try await part in inbound {
                switch part {
                case .head(let received):
                    head = received
                    body.clear()
                case .body(var chunk):
                    body.writeBuffer(&chunk)
                case .end:
                    guard let requestHead = head, !stalled else { continue }
                    let request = record(requestHead, body: body)
                    switch try await perform(decide(request), request, head: requestHead, outbound: outbound, channel: channel) {
                    case .answered where requestHead.isKeepAlive: continue
                    case .answered, .closed: return
                    case .stalled: stalled = true
                    }
                }
            }
        }
    }

    private func record(_ head: HTTPRequestHead, body: ByteBuffer) -> Request {
        state.withLock { state in
            let request = Request(
                sequenceNumber: state.nextSequenceNumber, method: head.method, uri: head.uri, headers: head.headers, body: body
            )
            state.nextSequenceNumber += 1
            state.received.append(request)
            return request
        }
    }

    private func decide(_ request: Request) -> Action {
        let decided: Result<Action, Never>?
        let handler: (@Sendable (Request) -> Action)?
        (decided, handler) = state.withLock { state in
            for index in state.rules.indices where state.rules[index].fires(on: request) {
                return (.success(state.rules[index].rule.action), nil)
            }
            return (nil, state.handler)
        }
        if case .success(let action) = decided { return action }
        return handler?(request) ?? .forward
    }
}
