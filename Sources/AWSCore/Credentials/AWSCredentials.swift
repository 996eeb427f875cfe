#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
/// A set of AWS credentials. Never printed: `description` shows the access key id masked as the AWS
/// CLI shows it (`****************ABCD`), and nothing of the secret key or the session token.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// When temporary credentials stop working; nil for long-lived keys.
    public var expiration: Date?

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    public var description: String {
        "AWSCredentials(accessKeyId: \(maskedAccessKeyId), temporary: \(sessionToken != nil))"
    }

    /// The access key id with all but its last four characters masked, as `aws configure list` shows it.
    public var maskedAccessKeyId: String {
        String(repeating: "*", count: max(0, accessKeyId.count - 4)) + accessKeyId.suffix(4)
    }
}

/// Something that can produce credentials, possibly with I/O.
public protocol CredentialProvider: Sendable {
    /// A human-readable name for error messages, e.g. `environment`.
    var name: String { get }
    /// Which kind of source this is (`.custom` unless the provider says otherwise).
    var source: CredentialSource { get }
    /// The credentials, or nil when this source is not configured (the chain then tries the next).
    /// Throws when the source is configured but broken.
    func credentials() async throws -> AWSCredentials?
    /// The credentials with the sources they came through, or nil when this source is not configured.
    /// The default wraps `credentials()` as one hop of `source`.
    func resolve() async throws -> ResolvedCredentials?
}

extension CredentialProvider {
    public var source: CredentialSource { .custom }

    public func resolve() async throws -> ResolvedCredentials? {
        try await credentials().map { ResolvedCredentials($0, sources: [source]) }
    }
}

/// Fixed credentials, e.g. given on a command line or by a test.
public struct StaticCredentialProvider: CredentialProvider {
    public let name = "static"
    public var source: CredentialSource { .explicit }
    private let value: AWSCredentials
    public init(_ credentials: AWSCredentials) { value = credentials }
    public func credentials() async throws -> AWSCredentials? { value }
}

/// The JSON shape that container endpoints, IMDS and `credential_process` answer with.
struct CredentialsDocument: Decodable {
    var accessKeyId: String
    var secretAccessKey: String
    var token: String?
    var sessionToken: String?
    var expiration: String?
    var version: Int?

    enum CodingKeys: String, CodingKey {
        case accessKeyId = "AccessKeyId"
        case secretAccessKey = "SecretAccessKey"
        case token = "Token"
        case sessionToken = "SessionToken"
        case expiration = "Expiration"
        case version = "Version"
    }

    func credentials(source: String) throws -> AWSCredentials {
        var expiry: Date? = nil
        if let expiration {
            guard let parsed = AWSTimestamp.parseISO8601(expiration) else {
                throw AWSConfigurationError(code: "InvalidCredentials", message: "\(source) returned an unreadable Expiration '\(expiration)'.")
            }
            expiry = parsed
        }
        guard !accessKeyId.isEmpty, !secretAccessKey.isEmpty else {
            throw AWSConfigurationError(code: "InvalidCredentials", message: "\(source) returned empty credentials.")
        }
        return AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: sessionToken ?? token, expiration: expiry)
    }
}
