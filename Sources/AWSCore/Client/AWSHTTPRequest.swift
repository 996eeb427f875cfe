public import NIOHTTP1

/// An HTTP request to an AWS endpoint, before or after signing.
public struct AWSHTTPRequest: Sendable {
    public var method: HTTPMethod
    /// `http` or `https`.
    public var scheme: String
    public var host: String
    /// The port, or nil for the scheme's default.
    public var port: Int?
    /// The path as sent on the wire: percent-encoded, starting with `/`.
    public var path: String
    /// Query parameters, decoded; encoded with AWS's URI encoding when sent and signed.
    public var query: [(name: String, value: String)]
    /// Headers in the order added; names compare case-insensitively.
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(method: HTTPMethod, scheme: String = "https", host: String, port: Int? = nil, path: String = "/",
                query: [(name: String, value: String)] = [], headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.method = method
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path.isEmpty ? "/" : path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The `Host` header value: the host, with the port when it is not the scheme's default.
    public var hostHeader: String {
        guard let port, !(scheme == "https" && port == 443), !(scheme == "http" && port == 80) else { return host }
        return "\(host):\(port)"
    }

    /// The query string as sent: each name and value URI-encoded, in the order given.
    public var encodedQuery: String {
        query.map { AWSURIEncoding.encode($0.name) + "=" + AWSURIEncoding.encode($0.value) }.joined(separator: "&")
    }

    /// The full URL as sent.
    public var url: String {
        let authority = host.contains(Character(":")) && !host.hasPrefix("[") ? "[\(host)]" : host
        var text = "\(scheme)://\(authority)"
        if let port, hostHeader != host { text += ":\(port)" }
        text += path
        if !query.isEmpty { text += "?" + encodedQuery }
        return text
    }
}
