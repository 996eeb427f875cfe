import AsyncHTTPClient
import AWSCore
import NIOCore

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
    private let httpClient: HTTPClient

    public init(url: String, headerName: String, timeout: Duration = .seconds(5), httpClient: HTTPClient = .shared) {
        self.url = url
        self.headerName = headerName
        self.timeout = timeout
        self.httpClient = httpClient
    }

    /// Probes once with `value` in the header (what `label` names, for messages: e.g. "pending value").
    public func probe(value: String, label: String) async throws(RotationError) -> Verdict {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: headerName, value: value)
        request.headers.add(name: "User-Agent", value: "keyrotator-origin-probe/1")
        let status: Int
        do {
            let (seconds, attoseconds) = timeout.components
            let response = try await httpClient.execute(request, timeout: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
            _ = try? await response.body.collect(upTo: 1 << 20)
            status = Int(response.status.code)
        } catch {
            throw RotationError(.originTestFailed, "The origin \(url) did not answer the probe with the \(label) (\(type(of: error))): check ORIGIN_URL and that the origin is reachable from the function.")
        }
        switch status {
        case 401, 403: return .rejected(status: status)
        case 500...: throw RotationError(.originTestFailed, "The origin \(url) answered HTTP \(status) to the probe with the \(label); it must answer 2xx-4xx to judge the header.")
        default: return .accepted(status: status)
        }
    }
}
