/// An HTTP proxy from `HTTPS_PROXY`/`HTTP_PROXY`: requests go through it with `CONNECT`.
/// `description` never shows the password.
public struct AWSProxy: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?

    public init(host: String, port: Int, username: String? = nil, password: String? = nil) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
    }

    public var description: String {
        "http://\(username.map { "\($0):***@" } ?? "")\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    /// Parses a proxy setting as curl and Python do: `http://[user:password@]host[:port]`, or
    /// `host:port` without a scheme. `variable` names the setting in errors.
    static func parse(_ text: String, variable: String) throws(AWSConfigurationError) -> AWSProxy {
        var rest = Substring(text.trimmingWhitespace())
        if let schemeEnd = rest.firstRange(of: "://") {
            let scheme = rest[..<schemeEnd.lowerBound].lowercased()
            guard scheme == "http" else {
                throw AWSConfigurationError(code: "InvalidProxy", message: "\(variable) uses a \(scheme):// proxy; only http:// proxies are supported (HTTPS requests still travel encrypted through them, with CONNECT).")
            }
            rest = rest[schemeEnd.upperBound...]
        }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userinfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userinfo.firstIndex(of: ":") {
                username = percentDecoded(userinfo[..<colon])
                password = percentDecoded(userinfo[userinfo.index(after: colon)...])
            } else {
                username = percentDecoded(userinfo)
            }
        }
        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw invalid(variable) }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { throw invalid(variable) }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty else { throw invalid(variable) }
        var port = 80
        if let portText {
            guard let parsed = Int(portText), (1...65535).contains(parsed) else { throw invalid(variable) }
            port = parsed
        }
        return AWSProxy(host: String(host), port: port, username: username, password: password)
    }

    private static func invalid(_ variable: String) -> AWSConfigurationError {
        AWSConfigurationError(code: "InvalidProxy", message: "\(variable) is not a proxy URL such as http://proxy.example.com:3128.")
    }

    private static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
