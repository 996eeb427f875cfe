import Foundation
public import NIOCore
public import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A scripted HTTP/1.1 server on 127.0.0.1 for tests of the client's behaviour against answers we
/// choose: credential endpoints, throttling, resets, slow answers. Records every request.
public final class StubHTTPServer: Sendable {
    public struct Request: Sendable {
        public var method: HTTPMethod
        public var uri: String
        public var headers: HTTPHeaders
        public var body: [UInt8]
    }

    public enum Action: Sendable {
        case respond(status: Int, headers: HTTPHeaders = [:], body: String = "")
        /// Close the connection without answering (a reset as the client sees it).
        case closeConnection
        /// Answer after a delay.
        case delayed(TimeAmount, status: Int, body: String = "")
    }

    public typealias Handler = @Sendable (Request, _ index: Int) -> Action

    private let channel: any Channel
    private let recorder: RequestRecorder
    public let port: Int
    public let scheme: String
    public var endpoint: String { "\(scheme)://127.0.0.1:\(port)" }

    /// Every request received so far, in order.
    public var requests: [Request] { recorder.requests.withLock { $0 } }

    /// Starts the server; with `tls`, it speaks HTTPS with that certificate.
    public static func start(tls: TestCertificateAuthority.ServerIdentity? = nil, _ handler: @escaping Handler) async throws -> StubHTTPServer {
        let recorder = RequestRecorder()
        let sslContext = try tls.map { identity -> NIOSSLContext in
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(identity.certificatePath).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: identity.privateKeyPath, format: .pem)))
            configuration.minimumTLSVersion = .tlsv12
            return try NIOSSLContext(configuration: configuration)
        }
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(StubHandler(handler: handler, recorder: recorder))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return StubHTTPServer(channel: channel, recorder: recorder, port: channel.localAddress?.port ?? 0, scheme: tls == nil ? "http" : "https")
    }

    private init(channel: any Channel, recorder: RequestRecorder, port: Int, scheme: String) {
        self.channel = channel
        self.recorder = recorder
        self.port = port
        self.scheme = scheme
    }

    public func shutdown() async {
        try? await channel.close()
    }
}

final class RequestRecorder: Sendable {
    let requests = Mutex<[StubHTTPServer.Request]>([])
    func record(_ request: StubHTTPServer.Request) -> Int {
        requests.withLock { $0.append(request); return $0.count - 1 }
    }
}

private final class StubHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let handler: StubHTTPServer.Handler
    let recorder: RequestRecorder
    var head: HTTPRequestHead?
    var body: [UInt8] = []

    init(handler: @escaping StubHTTPServer.Handler, recorder: RequestRecorder) {
        self.handler = handler
        self.recorder = recorder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head):
            self.head = head
            body = []
        case var .body(buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            let request = StubHTTPServer.Request(method: head.method, uri: head.uri, headers: head.headers, body: body)
            let index = recorder.record(request)
            switch handler(request, index) {
            case .closeConnection:
                context.close(promise: nil)
            case let .respond(status, headers, text):
                respond(context: context, status: status, headers: headers, body: text)
            case let .delayed(delay, status, text):
                let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: delay) {
                    let (handler, context) = loopBound.value
                    handler.respond(context: context, status: status, headers: [:], body: text)
                }
            }
        }
    }

    func respond(context: ChannelHandlerContext, status: Int, headers: HTTPHeaders, body text: String) {
        var responseHeaders = headers
        responseHeaders.replaceOrAdd(name: "Content-Length", value: String(text.utf8.count))
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: responseHeaders))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
