public import NIOCore
public import NIOHTTP1

extension FaultProxy {
    /// A request the proxy received, as the client sent it.
    public struct Request: Sendable {
        /// 1 for the first request the proxy received, then 2, 3, ...
        public let sequenceNumber: Int
        public let method: HTTPMethod
        /// Path and query, exactly as received.
        public let uri: String
        public let headers: HTTPHeaders
        public let body: ByteBuffer

        /// The path without the query string.
        public var path: String {
            uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? uri
        }

        /// The `X-Amz-Target` header (`secretsmanager.GetSecretValue`), set by JSON-protocol services.
        public var target: String? { headers.first(name: "X-Amz-Target") }

        public var bodyString: String { String(buffer: body) }
    }

    /// A response, as the upstream sent it or as a rule makes it up.
    public struct Response: Sendable {
        public var status: HTTPResponseStatus
        public var headers: HTTPHeaders
        public var body: ByteBuffer

        public init(status: HTTPResponseStatus, headers: HTTPHeaders = [:], body: ByteBuffer = ByteBuffer()) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        public init(status: HTTPResponseStatus, headers: HTTPHeaders = [:], bodyString: String) {
            self.init(status: status, headers: headers, body: ByteBuffer(string: bodyString))
        }

        public var bodyString: String {
            get { String(buffer: body) }
            set { body = ByteBuffer(string: newValue) }
        }
    }
}

/// A request seen by a `FaultProxy`.
public typealias ProxiedRequest = FaultProxy.Request
