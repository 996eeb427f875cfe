import AsyncHTTPClient
public import KeyRotation
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// The origin check over HTTP (AsyncHTTPClient): sends requests to the origin with a given header
/// value and reports whether it let them in. 401 and 403 are rejections; any other answer below
/// 300, or from 400 to 499, is acceptance; a redirect, 5xx and no answer are failures (the probe
/// cannot tell). A probe never follows a redirect: the header holds a secret, and a redirect would
/// hand it to another host.
public struct HTTPOriginProbe: OriginCheck {
    public let url: String
    public let headerName: String
    public let timeout: Duration
    /// A PEM file of certificate authorities to trust besides the system's, for an HTTPS origin
    /// with a private CA.
    public let trustedCAFile: String?
    private let client: HTTPClient

    public init(url: String, headerName: String, timeout: Duration = .seconds(5), trustedCAFile: String? = nil) {
        self.url = url
        self.headerName = headerName
        self.timeout = timeout
        self.trustedCAFile = trustedCAFile
        self.client = Self.clients.client(trusting: trustedCAFile)
    }

    /// Probes once with `value` in the header (what `label` names, for messages: e.g. "pending value").
    public func probe(value: String, label: String) async throws(RotationError) -> OriginVerdict {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: headerName, value: value)
        request.headers.add(name: "User-Agent", value: "keyrotator-origin-probe/1")
        let status: Int
        let location: String?
        do {
            let response = try await client.execute(request, timeout: TimeAmount(timeout))
            _ = try? await response.body.collect(upTo: 1 << 20)
            status = Int(response.status.code)
            location = response.headers.first(name: "Location")
        } catch {
            throw RotationError(.originTestFailed, "The origin \(url) did not answer the probe with the \(label) (\(error)): check ORIGIN_URL, that the origin is reachable from the function and, for HTTPS with a private CA, ORIGIN_CA_FILE.")
        }
        switch status {
        case 401, 403: return .rejected(status: status)
        case 300..<400:
            throw RotationError(.originTestFailed, "The origin \(url) answered the probe with the \(label) with HTTP \(status), a redirect to \(Self.redirectTarget(location)); a redirect proves nothing and is never followed with the header: set ORIGIN_URL to a URL the origin answers itself.")
        case 500...: throw RotationError(.originTestFailed, "The origin \(url) answered HTTP \(status) to the probe with the \(label); it must answer 2xx-4xx to judge the header.")
        default: return .accepted(status: status)
        }
    }

    /// The host a `Location` header points at, for messages (never the path or query).
    package static func redirectTarget(_ location: String?) -> String {
        guard let location, !location.isEmpty else { return "no Location" }
        // "https://host:port/path" splits into "https:", "", "host:port", ...; "//host/path" likewise.
        let parts = location.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[1].isEmpty, parts[0].isEmpty || parts[0].hasSuffix(":") else { return "a path on the same host" }
        let authority = parts[2].prefix { $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@").last.map(String.init) ?? ""
        return host.isEmpty ? "an unnamed host" : "host \(host)"
    }

    /// One client per set of trusted CAs for the life of the process, as `HTTPClient.shared` is:
    /// a probe reuses its connections and never builds a client per request.
    private static let clients = ProbeClients()

    private final class ProbeClients: Sendable {
        private let byCAFile = Mutex<[String: HTTPClient]>([:])

        func client(trusting caFile: String?) -> HTTPClient {
            byCAFile.withLock { clients in
                let key = caFile ?? ""
                if let client = clients[key] { return client }
                var tls = TLSConfiguration.makeClientConfiguration()
                if let caFile { tls.additionalTrustRoots = [.file(caFile)] }
                let configuration = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow)
                let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
                clients[key] = client
                return client
            }
        }
    }
}
