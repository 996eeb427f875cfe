import AsyncHTTPClient
import AWSCore
import NIOCore
import NIOSSL

/// Sends requests to the origin with a given header value and reports whether it let them in.
/// 401 and 403 are rejections; any other answer below 500 is acceptance; 5xx and no answer are
/// failures (the probe cannot tell).
public struct OriginProbe: Sendable {
    public enum Verdict: Sendable, Equatable {
        case accepted(status: Int)
        case rejected(status: Int)
    }

    public let url: String
    public let headerName: String
    public let timeout: Duration
    /// A PEM file of certificate authorities to trust besides the system's, for an HTTPS origin
    /// with a private CA.
    public let trustedCAFile: String?

    public init(url: String, headerName: String, timeout: Duration = .seconds(5), trustedCAFile: String? = nil) {
        self.url = url
        self.headerName = headerName
        self.timeout = timeout
        self.trustedCAFile = trustedCAFile
    }

    /// Runs `body` with a client that trusts the configured CAs (the shared client when there are none).
    private func withClient<T: Sendable>(_ body: (HTTPClient) async throws -> T) async throws -> T {
        guard let trustedCAFile else { return try await body(.shared) }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.additionalTrustRoots = [.file(trustedCAFile)]
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Probes once with `value` in the header (what `label` names, for messages: e.g. "pending value").
    public func probe(value: String, label: String) async throws(RotationError) -> Verdict {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: headerName, value: value)
        request.headers.add(name: "User-Agent", value: "keyrotator-origin-probe/1")
        let status: Int
        let (seconds, attoseconds) = timeout.components
        let deadline = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        do {
            status = try await withClient { client in
                let response = try await client.execute(request, timeout: deadline)
                _ = try? await response.body.collect(upTo: 1 << 20)
                return Int(response.status.code)
            }
        } catch {
            throw RotationError(.originTestFailed, "The origin \(url) did not answer the probe with the \(label) (\(error)): check ORIGIN_URL, that the origin is reachable from the function and, for HTTPS with a private CA, ORIGIN_CA_FILE.")
        }
        switch status {
        case 401, 403: return .rejected(status: status)
        case 500...: throw RotationError(.originTestFailed, "The origin \(url) answered HTTP \(status) to the probe with the \(label); it must answer 2xx-4xx to judge the header.")
        default: return .accepted(status: status)
        }
    }
}
