/// A response from an AWS endpoint.
public struct AWSHTTPResponse: Sendable {
    public var statusCode: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(statusCode: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.statusCode = statusCode
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, matched case-insensitively.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
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
