import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A forward proxy on 127.0.0.1 that speaks `CONNECT` (how AsyncHTTPClient uses an HTTP proxy, for
/// http and https targets alike) and records every tunnel it opens, so a test can see which
/// requests went through a proxy and which went direct. It can require basic proxy credentials.
///
///     try await ConnectProxy.with { proxy in
///         // HTTPS_PROXY=proxy.url ...
///         #expect(proxy.tunnels == ["127.0.0.1:5000"])
///     }
public final class ConnectProxy: Sendable {
    public let port: Int
    /// `http://127.0.0.1:PORT`, the value for `HTTPS_PROXY`/`HTTP_PROXY`.
    public var url: String { "http://127.0.0.1:\(port)" }

    private let channel: any Channel
    private let log: TunnelLog

    /// The `host:port` of every CONNECT accepted, in order.
    public var tunnels: [String] { log.state.withLock { $0.tunnels } }
    /// CONNECT requests refused for missing or wrong proxy credentials.
    public var refused: Int { log.state.withLock { $0.refused } }

    /// Starts a proxy, runs `body`, and shuts the proxy down whatever happens.
    public static func with<T: Sendable>(requiring credentials: (user: String, password: String)? = nil,
                                         _ body: (ConnectProxy) async throws -> T) async throws -> T {
        let proxy = try await start(requiring: credentials)
        do {
            let result = try await body(proxy)
            await proxy.shutdown()
            return result
        } catch {
            await proxy.shutdown()
            throw error
        }
    }

    public static func start(requiring credentials: (user: String, password: String)? = nil) async throws -> ConnectProxy {
        let log = TunnelLog()
        let expected = credentials.map { "Basic " + base64(Array("\($0.user):\($0.password)".utf8)) }
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let decoder = ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes))
                    let encoder = HTTPResponseEncoder()
                    try channel.pipeline.syncOperations.addHandler(decoder)
                    try channel.pipeline.syncOperations.addHandler(encoder)
                    try channel.pipeline.syncOperations.addHandler(ConnectHandler(log: log, expectedAuthorization: expected, decoder: decoder, encoder: encoder))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return ConnectProxy(channel: channel, log: log, port: channel.localAddress?.port ?? 0)
    }

    private init(channel: any Channel, log: TunnelLog, port: Int) {
        self.channel = channel
        self.log = log
        self.port = port
    }

    public func shutdown() async {
        try? await channel.close()
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let value = (UInt32(chunk[0]) << 16) | (UInt32(chunk.count > 1 ? chunk[1] : 0) << 8) | UInt32(chunk.count > 2 ? chunk[2] : 0)
            out.append(table[Int((value >> 18) & 63)])
            out.append(table[Int((value >> 12) & 63)])
            out.append(chunk.count > 1 ? table[Int((value >> 6) & 63)] : UInt8(ascii: "="))
            out.append(chunk.count > 2 ? table[Int(value & 63)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}

final class TunnelLog: Sendable {
    struct State {
        var tunnels: [String] = []
        var refused = 0
    }

    let state = Mutex(State())
}

/// Answers one CONNECT, then glues the client's connection to the target's.
private final class ConnectHandler: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let log: TunnelLog
    let expectedAuthorization: String?
    let decoder: ByteToMessageHandler<HTTPRequestDecoder>
    let encoder: HTTPResponseEncoder
    var target: (host: String, port: Int)?
    var answered = false

    init(log: TunnelLog, expectedAuthorization: String?, decoder: ByteToMessageHandler<HTTPRequestDecoder>, encoder: HTTPResponseEncoder) {
        self.log = log
        self.expectedAuthorization = expectedAuthorization
        self.decoder = decoder
        self.encoder = encoder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head):
            guard head.method == .CONNECT, let colon = head.uri.lastIndex(of: ":"), let port = Int(head.uri[head.uri.index(after: colon)...]) else {
                respond(context: context, status: .methodNotAllowed, close: true)
                return
            }
            if let expectedAuthorization, head.headers["Proxy-Authorization"].first != expectedAuthorization {
                log.state.withLock { $0.refused += 1 }
                respond(context: context, status: .proxyAuthenticationRequired, close: true)
                return
            }
            var host = String(head.uri[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            target = (host, port)
        case .body:
            break
        case .end:
            guard let target, !answered else { return }
            answered = true
            connect(context: context, host: target.host, port: target.port)
        }
    }

    private func connect(context: ChannelHandlerContext, host: String, port: Int) {
        let (local, remote) = GlueHandler.matchedPair()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        ClientBootstrap(group: context.eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(remote) }
            }
            .connect(host: host, port: port)
            .whenComplete { result in
                let (handler, context) = loopBound.value
                switch result {
                case .success:
                    handler.log.state.withLock { $0.tunnels.append("\(host):\(port)") }
                    context.write(handler.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok))), promise: nil)
                    context.writeAndFlush(handler.wrapOutboundOut(.end(nil)), promise: nil)
                    do {
                        try context.pipeline.syncOperations.addHandler(local)
                        context.pipeline.syncOperations.removeHandler(handler.encoder, promise: nil)
                        context.pipeline.syncOperations.removeHandler(handler.decoder, promise: nil)
                        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
                    } catch {
                        context.close(promise: nil)
                    }
                case .failure:
                    handler.respond(context: context, status: .badGateway, close: true)
                }
            }
    }

    func respond(context: ChannelHandlerContext, status: HTTPResponseStatus, close: Bool) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: "0")
        if close { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if close { context.close(promise: nil) }
        }
    }
}

/// Copies bytes between two channels on the same event loop, with back-pressure.
private final class GlueHandler: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    private var partner: GlueHandler?
    private var context: ChannelHandlerContext?
    private var pendingRead = false

    static func matchedPair() -> (GlueHandler, GlueHandler) {
        let first = GlueHandler()
        let second = GlueHandler()
        first.partner = second
        second.partner = first
        return (first, second)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        partner?.partnerBecameWritable()  // a read the partner held back until this side existed
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    private func partnerWrite(_ data: NIOAny) { context?.write(data, promise: nil) }
    private func partnerFlush() { context?.flush() }
    private func partnerWriteEOF() { context?.close(mode: .output, promise: nil) }
    private func partnerCloseFull() { context?.close(promise: nil) }
    private var partnerWritable: Bool { context?.channel.isWritable ?? false }

    private func partnerBecameWritable() {
        if pendingRead {
            pendingRead = false
            context?.read()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) { partner?.partnerWrite(data) }
    func channelReadComplete(context: ChannelHandlerContext) { partner?.partnerFlush() }
    func channelInactive(context: ChannelHandlerContext) { partner?.partnerCloseFull() }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event { partner?.partnerWriteEOF() }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { partner?.partnerBecameWritable() }
    }

    func read(context: ChannelHandlerContext) {
        if let partner, partner.partnerWritable {
            context.read()
        } else {
            pendingRead = true
        }
    }
}
