#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import AsyncHTTPClient
public import NIOCore
import NIOHTTP1

/// Credentials from the ECS/EKS/Lambda container endpoint:
/// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on `169.254.170.2`) or
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with the token from
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` or `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
///
/// It connects directly, never through `HTTPS_PROXY` (as botocore does).
public struct ContainerCredentialProvider: CredentialProvider {
    public let name = "container credentials endpoint (AWS_CONTAINER_CREDENTIALS_*_URI)"
    public var source: CredentialSource { .container }
    private let environment: AWSEnvironment
    private let transport: AWSHTTPTransport
    private let timeout: TimeAmount

    public init(environment: AWSEnvironment, httpClient: HTTPClient, timeout: TimeAmount = .seconds(2)) {
        self.environment = environment
        self.transport = .fixed(httpClient)
        self.timeout = timeout
    }

    public init(context: CredentialContext, timeout: TimeAmount = .seconds(2)) {
        self.environment = context.environment
        self.transport = context.transport
        self.timeout = timeout
    }

    /// The endpoint to ask, or nil when no container endpoint is configured.
    func endpoint() throws -> String? {
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] {
            return "http://169.254.170.2" + (relative.hasPrefix("/") ? relative : "/" + relative)
        }
        guard let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] else { return nil }
        guard let url = URL(string: full), let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased() else {
            throw AWSConfigurationError(code: "InvalidContainerEndpoint", message: "AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL.")
        }
        let allowedHTTPHosts: Set<String> = ["localhost", "169.254.170.2", "169.254.170.23", "fd00:ec2::23", "[fd00:ec2::23]", "::1", "[::1]"]
        guard scheme == "https" || (scheme == "http" && (allowedHTTPHosts.contains(host) || host.hasPrefix("127."))) else {
            throw AWSConfigurationError(code: "InvalidContainerEndpoint", message: "AWS_CONTAINER_CREDENTIALS_FULL_URI must use https, or http on a loopback or ECS/EKS link-local address; got host '\(host)'.")
        }
        return full
    }

    private func authorizationToken() throws -> String? {
        if let path = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw AWSConfigurationError(code: "InvalidContainerEndpoint", message: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE '\(path)' cannot be read.")
            }
            return String(decoding: data, as: UTF8.self).trimmingWhitespace()
        }
        return environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
    }

    public func credentials() async throws -> AWSCredentials? {
        guard let endpoint = try endpoint() else { return nil }
        var request = HTTPClientRequest(url: endpoint)
        request.headers.add(name: "Accept", value: "application/json")
        if let token = try authorizationToken() {
            guard !token.contains(where: \.isNewline) else {
                throw AWSConfigurationError(code: "InvalidContainerEndpoint", message: "The container authorization token contains a line break.")
            }
            request.headers.add(name: "Authorization", value: token)
        }
        let (status, body) = try await fetch(request)
        guard status == 200 else {
            throw AWSConfigurationError(code: "ContainerCredentialsFailed", message: "The container credentials endpoint answered HTTP \(status).")
        }
        let document: CredentialsDocument
        do {
            document = try JSONDecoder().decode(CredentialsDocument.self, from: Data(body))
        } catch {
            throw AWSConfigurationError(code: "ContainerCredentialsFailed", message: "The container credentials endpoint did not answer with a credentials document.")
        }
        return try document.credentials(source: "the container credentials endpoint")
    }

    private func fetch(_ request: HTTPClientRequest) async throws -> (Int, [UInt8]) {
        let httpClient = try transport.client(forURL: request.url, useProxy: false)
        var lastError: (any Error)?
        for attempt in 0..<2 {
            do {
                let response = try await httpClient.execute(request, timeout: timeout)
                let body = try await response.body.collect(upTo: 1 << 20)
                let status = Int(response.status.code)
                if status >= 500 && attempt == 0 { continue }
                return (status, Array(buffer: body))
            } catch {
                lastError = error
            }
        }
        throw AWSConfigurationError(code: "ContainerCredentialsFailed", message: "The container credentials endpoint could not be reached (\(lastError.map { "\(type(of: $0))" } ?? "5xx")).")
    }
}
