import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Routes the Runtime API requests of one connection from the function to its ``RuntimeAPIServer``.
final class RuntimeAPIHTTPHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private static let prefix = "/2018-06-01/runtime"
    private let server: ServerBox
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(server: ServerBox) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            self.head = nil
            route(head: head, body: body, context: context)
        }
    }

    private func route(head: HTTPRequestHead, body: [UInt8], context: ChannelHandlerContext) {
        guard let server = server.server.withLock({ $0 }) else {
            respond(context: context, status: .serviceUnavailable, body: [])
            return
        }
        let path = head.uri.split(separator: "?").first.map(String.init) ?? head.uri
        let segments = path.hasPrefix(Self.prefix) ? path.dropFirst(Self.prefix.count).split(separator: "/").map(String.init) : []
        switch (head.method, segments.count, segments) {
        case (.GET, 2, _) where segments == ["invocation", "next"]:
            let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            server.nextInvocation(on: context.eventLoop).whenSuccess { invocation in
                let now = Self.nowMilliseconds()
                let headers = invocation.headers(nowMilliseconds: now)
                server.recordDelivery(invocation, headers: headers, deliveredAtMilliseconds: now)
                self.respond(context: loopBoundContext.value, status: .ok, headers: headers, body: invocation.event)
            }
        case (.POST, 3, _) where segments[0] == "invocation" && segments[2] == "response":
            let known = server.record(.response(body), requestID: segments[1], arrivedAtMilliseconds: Self.nowMilliseconds())
            respond(context: context, status: known ? .accepted : .badRequest, body: [])
        case (.POST, 3, _) where segments[0] == "invocation" && segments[2] == "error":
            let arrived = Self.nowMilliseconds()
            let report = RuntimeAPIErrorReport(body: body, functionErrorTypeHeader: head.headers["Lambda-Runtime-Function-Error-Type"].first)
            let known = server.record(.error(report), requestID: segments[1], arrivedAtMilliseconds: arrived)
            respond(context: context, status: known ? .accepted : .badRequest, body: [])
        case (.POST, 2, _) where segments == ["init", "error"]:
            server.recordInitError(
                RuntimeAPIErrorReport(body: body, functionErrorTypeHeader: head.headers["Lambda-Runtime-Function-Error-Type"].first)
            )
            respond(context: context, status: .accepted, body: [])
        default:
            respond(context: context, status: .notFound, body: Array("{\"errorMessage\":\"no such route\"}".utf8))
        }
    }

    private static func nowMilliseconds() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    private func respond(context: ChannelHandlerContext, status: HTTPResponseStatus, headers: [(String, String)] = [], body: [UInt8]) {
        var responseHeaders = HTTPHeaders(headers)
        responseHeaders.add(name: "Content-Length", value: String(body.count))
        responseHeaders.add(name: "Content-Type", value: "application/json")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: responseHeaders))), promise: nil)
        if !body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
