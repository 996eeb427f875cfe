#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import AsyncHTTPClient
import NIOSSL
import Synchronization

/// Picks the HTTP client for each AWS request: direct, or through the proxy the network settings
/// name for the request's scheme and host, trusting the configured CA bundle.
///
/// The clients it creates live as long as the process (like `HTTPClient.shared`): one per distinct
/// proxy and CA bundle, shared by every `AWSClient` that uses the same settings. None follows a
/// redirect: request bodies carry secret values (PutSecretValue, a distribution's headers), and a
/// 3xx answer reaches the caller as an error instead of sending them to another host.
public struct AWSHTTPTransport: Sendable {
    private enum Mode: Sendable {
        case fixed(HTTPClient)
        case configured(AWSNetworkSettings)
    }

    private let mode: Mode

    /// Every request goes to `client`, whatever the settings (for tests and callers with their own client).
    public static func fixed(_ client: HTTPClient) -> AWSHTTPTransport { AWSHTTPTransport(mode: .fixed(client)) }

    /// Requests follow `settings`.
    public init(settings: AWSNetworkSettings) { mode = .configured(settings) }

    /// Every request connects directly, trusting the system's CAs, following no redirect.
    public static let direct = AWSHTTPTransport(settings: AWSNetworkSettings())

    private init(mode: Mode) { self.mode = mode }

    /// The settings requests follow, or nil for a fixed client.
    public var settings: AWSNetworkSettings? {
        if case let .configured(settings) = mode { return settings }
        return nil
    }

    /// The client for a request to `scheme://host:port`; `useProxy: false` connects directly
    /// (the container credentials endpoint, as botocore does).
    public func client(scheme: String, host: String, port: Int?, useProxy: Bool = true) throws(AWSConfigurationError) -> HTTPClient {
        switch mode {
        case let .fixed(client):
            return client
        case let .configured(settings):
            let proxy = useProxy ? settings.proxy(scheme: scheme, host: host, port: port) : nil
            return try HTTPClientRegistry.shared.client(proxy: proxy, caBundlePath: settings.caBundlePath, setting: settings.caBundleSetting)
        }
    }

    /// The client for a request to `url`.
    public func client(forURL url: String, useProxy: Bool = true) throws(AWSConfigurationError) -> HTTPClient {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, let host = parsed.host else {
            return try client(scheme: "https", host: "", port: nil, useProxy: false)
        }
        return try client(scheme: scheme, host: host, port: parsed.port, useProxy: useProxy)
    }
}

/// The process-wide HTTP clients, one per proxy and CA bundle, none following redirects; never shut down.
private final class HTTPClientRegistry: Sendable {
    static let shared = HTTPClientRegistry()

    private struct Key: Hashable {
        var proxy: AWSProxy?
        var caBundlePath: String?
    }

    private let clients = Mutex<[Key: HTTPClient]>([:])

    func client(proxy: AWSProxy?, caBundlePath: String?, setting: String?) throws(AWSConfigurationError) -> HTTPClient {
        let key = Key(proxy: proxy, caBundlePath: caBundlePath)
        if let existing = clients.withLock({ $0[key] }) { return existing }
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.redirectConfiguration = .disallow
        if let caBundlePath {
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMFile(caBundlePath)
            } catch {
                throw AWSConfigurationError(code: "InvalidCABundle", message: "\(setting ?? "The CA bundle") '\(caBundlePath)' cannot be read as PEM certificates: point it at a readable PEM file of CA certificates.")
            }
            guard !certificates.isEmpty else {
                throw AWSConfigurationError(code: "InvalidCABundle", message: "\(setting ?? "The CA bundle") '\(caBundlePath)' holds no PEM certificate.")
            }
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.additionalTrustRoots = [.certificates(certificates)]
            configuration.tlsConfiguration = tls
        }
        if let proxy {
            let authorization = proxy.username.map { HTTPClient.Authorization.basic(username: $0, password: proxy.password ?? "") }
            configuration.proxy = .server(host: proxy.host, port: proxy.port, authorization: authorization)
        }
        return clients.withLock { clients in
            if let existing = clients[key] { return existing }
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            clients[key] = client
            return client
        }
    }
}
