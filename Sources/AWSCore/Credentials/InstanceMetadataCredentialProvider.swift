#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import AsyncHTTPClient
public import NIOCore
import NIOHTTP1

/// Credentials of the EC2 instance role, through IMDSv2 (session token first, then the role).
/// Disabled by `AWS_EC2_METADATA_DISABLED=true`; the endpoint can be moved with
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT`. Like botocore, it honours `HTTP_PROXY` unless `NO_PROXY`
/// names the endpoint (`NO_PROXY=169.254.169.254`).
public struct InstanceMetadataCredentialProvider: CredentialProvider {
    public let name = "EC2 instance metadata (IMDSv2)"
    public var source: CredentialSource { .instanceMetadata }
    private let environment: AWSEnvironment
    private let transport: AWSHTTPTransport
    private let timeout: TimeAmount

    public init(environment: AWSEnvironment, httpClient: HTTPClient, timeout: TimeAmount = .seconds(1)) {
        self.environment = environment
        self.transport = .fixed(httpClient)
        self.timeout = timeout
    }

    public init(context: CredentialContext, timeout: TimeAmount = .seconds(1)) {
        self.environment = context.environment
        self.transport = context.transport
        self.timeout = timeout
    }

    var isDisabled: Bool { environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" }

    var endpoint: String {
        var base = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] ?? "http://169.254.169.254"
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    public func credentials() async throws -> AWSCredentials? {
        if isDisabled { return nil }
        var tokenRequest = HTTPClientRequest(url: endpoint + "/latest/api/token")
        tokenRequest.method = .PUT
        tokenRequest.headers.add(name: "x-aws-ec2-metadata-token-ttl-seconds", value: "21600")
        let token: String
        do {
            let (status, body) = try await fetch(tokenRequest)
            guard status == 200 else { return nil }
            token = String(decoding: body, as: UTF8.self)
        } catch {
            return nil  // not on EC2: this source is simply absent
        }
        let base = endpoint + "/latest/meta-data/iam/security-credentials/"
        var roleRequest = HTTPClientRequest(url: base)
        roleRequest.headers.add(name: "x-aws-ec2-metadata-token", value: token)
        let (roleStatus, roleBody) = try await fetch(roleRequest)
        guard roleStatus == 200 else {
            if roleStatus == 404 { return nil }  // no instance profile attached
            throw AWSConfigurationError(code: "InstanceMetadataFailed", message: "IMDS answered HTTP \(roleStatus) for the instance role.")
        }
        guard let role = String(decoding: roleBody, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init),
              !role.isEmpty, !role.contains(Character("/"))
        else {
            return nil
        }
        var credentialsRequest = HTTPClientRequest(url: base + role)
        credentialsRequest.headers.add(name: "x-aws-ec2-metadata-token", value: token)
        let (status, body) = try await fetch(credentialsRequest)
        guard status == 200 else {
            throw AWSConfigurationError(code: "InstanceMetadataFailed", message: "IMDS answered HTTP \(status) for the credentials of role '\(role)'.")
        }
        do {
            return try JSONDecoder().decode(CredentialsDocument.self, from: Data(body)).credentials(source: "IMDS role '\(role)'")
        } catch let error as AWSConfigurationError {
            throw error
        } catch {
            throw AWSConfigurationError(code: "InstanceMetadataFailed", message: "IMDS did not answer with a credentials document for role '\(role)'.")
        }
    }

    private func fetch(_ request: HTTPClientRequest) async throws -> (Int, [UInt8]) {
        let response = try await transport.client(forURL: request.url).execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), Array(buffer: body))
    }
}
