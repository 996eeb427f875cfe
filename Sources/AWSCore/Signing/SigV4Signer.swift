#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import Crypto
import NIOHTTP1

/// Signs requests with AWS Signature Version 4 (headers form), as AWS specifies it for every
/// service but S3: the canonical URI is normalized and encoded a second time.
public struct SigV4Signer: Sendable {
    public let credentials: AWSCredentials
    /// The service's signing name, e.g. `secretsmanager`, `cloudfront`, `apigateway`.
    public let signingName: String
    public let region: String

    /// Headers that proxies may change and that AWS never requires signed.
    static let unsignedHeaders: Set<String> = ["authorization", "user-agent", "expect", "x-amzn-trace-id"]

    public init(credentials: AWSCredentials, signingName: String, region: String) {
        self.credentials = credentials
        self.signingName = signingName
        self.region = region
    }

    /// Adds `Host` (when missing), `X-Amz-Date`, `X-Amz-Security-Token` (temporary credentials)
    /// and `Authorization` to the request.
    public func sign(_ request: inout AWSHTTPRequest, date: Date = Date()) {
        request.headers.remove(name: "Authorization")
        if !request.headers.contains(name: "Host") { request.headers.add(name: "Host", value: request.hostHeader) }
        let amzDate = AWSTimestamp.amzDate(date)
        request.headers.replaceOrAdd(name: "X-Amz-Date", value: amzDate)
        if let token = credentials.sessionToken { request.headers.replaceOrAdd(name: "X-Amz-Security-Token", value: token) }

        let (canonical, signedHeaders) = canonicalRequest(request)
        let scope = "\(amzDate.prefix(8))/\(region)/\(signingName)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(SHA256.hash(data: Array(canonical.utf8)).hexString)"
        let signature = HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: signingKey(day: String(amzDate.prefix(8)))).hexString
        request.headers.add(name: "Authorization", value: "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)")
    }

    /// The canonical request and the signed-headers list (exposed for diagnostics and tests).
    public func canonicalRequest(_ request: AWSHTTPRequest) -> (String, String) {
        var grouped: [String: [String]] = [:]
        for (name, value) in request.headers {
            let lower = name.lowercased()
            if Self.unsignedHeaders.contains(lower) { continue }
            grouped[lower, default: []].append(Self.collapseWhitespace(value))
        }
        let names = grouped.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let canonicalHeaders = names.map { "\($0):\(grouped[$0, default: []].joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let payloadHash = SHA256.hash(data: request.body).hexString
        let canonical = [
            request.method.rawValue,
            Self.canonicalURI(request.path),
            Self.canonicalQuery(request.query),
            canonicalHeaders,
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")
        return (canonical, signedHeaders)
    }

    static func canonicalURI(_ wirePath: String) -> String {
        AWSURIEncoding.encode(normalize(wirePath), keepingSlashes: true)
    }

    /// Removes `.` and `..` segments and empty segments, keeping a leading and trailing slash.
    static func normalize(_ path: String) -> String {
        if path.isEmpty { return "/" }
        var output: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." {
                if !output.isEmpty { output.removeLast() }
                continue
            }
            output.append(segment)
        }
        var result = "/" + output.joined(separator: "/")
        if path.hasSuffix("/") && !output.isEmpty { result += "/" }
        return result
    }

    static func canonicalQuery(_ items: [(name: String, value: String)]) -> String {
        items.map { (AWSURIEncoding.encode($0.name), AWSURIEncoding.encode($0.value)) }
            .sorted { a, b in
                if a.0 != b.0 { return Array(a.0.utf8).lexicographicallyPrecedes(Array(b.0.utf8)) }
                return Array(a.1.utf8).lexicographicallyPrecedes(Array(b.1.utf8))
            }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    static func collapseWhitespace(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }

    private func signingKey(day: String) -> SymmetricKey {
        let secret = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        let kDate = HMAC<SHA256>.authenticationCode(for: Array(day.utf8), using: secret)
        let kRegion = HMAC<SHA256>.authenticationCode(for: Array(region.utf8), using: SymmetricKey(data: kDate))
        let kService = HMAC<SHA256>.authenticationCode(for: Array(signingName.utf8), using: SymmetricKey(data: kRegion))
        let kSigning = HMAC<SHA256>.authenticationCode(for: Array("aws4_request".utf8), using: SymmetricKey(data: kService))
        return SymmetricKey(data: kSigning)
    }
}
