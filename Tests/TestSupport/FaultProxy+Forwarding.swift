import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension FaultProxy {
    /// What became of the connection after an action.
    enum Outcome {
        case answered
        case closed
        case stalled
    }

    /// Headers that describe one hop, not the message: never relayed.
    private static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "transfer-encoding", "upgrade", "content-length",
    ]

    func perform(
        _ action: Action,
        _ request: Request,
        head: HTTPRequestHead,
        outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
        channel: any Channel
    ) async throws -> Outcome {
        switch action {
        case .forward:
            try await write(await forward(request), head: head, to: outbound)
        case .respond(let response):
            try await write(response, head: head, to: outbound)
        case .delay(let duration):
            try await Task.sleep(for: duration)
            try await write(await forward(request), head: head, to: outbound)
        case .forwardThenTransform(let transform):
            try await write(transform(await forward(request)), head: head, to: outbound)
        case .resetConnection:
            try? await (channel as? any SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
            return .closed
        case .forwardThenReset:
            _ = await forward(request)
            try? await (channel as? any SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
            return .closed
        case .timeout:
            return .stalled
        case .run(let work):
            return try await perform(await work(request), request, head: head, outbound: outbound, channel: channel)
        }
        return .answered
    }

    /// Sends `request` upstream with its headers unchanged (Host included); a failure becomes a 502.
    func forward(_ request: Request) async -> Response {
        var upstreamRequest = HTTPClientRequest(url: upstream + request.uri)
        upstreamRequest.method = request.method
        for (name, value) in request.headers where !Self.hopByHop.contains(name.lowercased()) {
            upstreamRequest.headers.add(name: name, value: value)
        }
        if request.body.readableBytes > 0 || request.headers.contains(name: "content-length") {
            upstreamRequest.body = .bytes(request.body)
        }
        do {
            let response = try await client.execute(upstreamRequest, timeout: .seconds(120))
            let body = try await response.body.collect(upTo: 64 << 20)
            var headers = HTTPHeaders()
            for (name, value) in response.headers where !Self.hopByHop.contains(name.lowercased()) {
                headers.add(name: name, value: value)
            }
            return Response(status: response.status, headers: headers, body: body)
        } catch {
            return Response(
                status: .badGateway,
                headers: ["Content-Type": "text/plain"],
                bodyString: "FaultProxy could not reach \(upstream): \(error)"
            )
        }
    }

    private func write(
        _ response: Response, head: HTTPRequestHead, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws {
        var headers = response.headers
        for name in Self.hopByHop { headers.remove(name: name) }
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.readableBytes))
        if !head.isKeepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        try await outbound.write(.head(HTTPResponseHead(version: head.version, status: response.status, headers: headers)))
        if response.body.readableBytes > 0 {
            try await outbound.write(.body(.byteBuffer(response.body)))
        }
        try await outbound.write(.end(nil))
    }
}
