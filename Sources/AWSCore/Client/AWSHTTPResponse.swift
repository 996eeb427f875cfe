public import NIOHTTP1

/// A response from an AWS endpoint.
public struct AWSHTTPResponse: Sendable {
    public var statusCode: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(statusCode: Int, headers: HTTPHeaders, body: [UInt8]) {
        self.statusCode = statusCode
        self.headers = headers
        self.body = body
    }
}

/// A request that never got an HTTP answer (connection refused or reset, timeout) after all attempts.
public struct AWSTransportError: Error, Sendable, CustomStringConvertible {
    public var service: String
    public var operation: String
    public var endpoint: String
    public var attempts: Int
    public var isTimeout: Bool
    /// The underlying error, described.
    public var reason: String

    public var description: String {
        "\(service) \(operation) failed: \(isTimeout ? "timed out" : "could not reach \(endpoint)") after \(attempts) attempt\(attempts == 1 ? "" : "s") (\(reason))"
    }
}
