#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What an API Gateway Lambda authorizer event says, reduced to what the origin check needs.
public struct AuthorizerEvent: Sendable, Hashable {
    /// Which authorizer sent the event; it decides the response shape.
    public enum Kind: String, Sendable, Hashable {
        /// HTTP API, payload format 2.0 (`"version": "2.0"`, `routeArn`).
        case httpAPIv2
        /// REST API `REQUEST` authorizer, or HTTP API payload format 1.0 (`methodArn`).
        case restRequest
        /// REST API `TOKEN` authorizer (`authorizationToken`, taken from the header the authorizer names).
        case restToken
    }

    public var kind: Kind
    /// The value of the verified header, nil when the request has none.
    public var headerValue: String?
    /// `routeArn` (HTTP API 2.0) or `methodArn` (REST, HTTP API 1.0).
    public var methodArn: String?

    public init(kind: Kind, headerValue: String?, methodArn: String?) {
        self.kind = kind
        self.headerValue = headerValue
        self.methodArn = methodArn
    }

    /// Reads an authorizer event; the header named `headerName` is looked up case-insensitively
    /// (REST events keep the client's case, HTTP API events lower-case it); two spellings holding different
    /// values count as none. An event without the ARN it authorizes (`routeArn`, `methodArn`) is refused.
    public static func parse(_ event: some Collection<UInt8>, headerName: String) throws(AuthorizerEventError) -> AuthorizerEvent {
        let raw: RawEvent
        do {
            raw = try JSONDecoder().decode(RawEvent.self, from: Data(event))
        } catch {
            throw .notAnAuthorizerEvent(reason: "the event is not a JSON object with the authorizer fields")
        }
        // Two spellings of the header with different values are not what CloudFront sends (it replaces the
        // header): read as no header, whatever order the dictionary happens to hold them in.
        let spellings = Set((raw.headers ?? [:]).filter { $0.key.lowercased() == headerName.lowercased() }.map(\.value))
        let header = spellings.count == 1 ? spellings.first : nil
        // API Gateway always names what it authorizes; an event that does not would need an answer for every
        // resource ("*"), so it is refused, never allowed.
        switch (raw.version, raw.type?.uppercased()) {
        case ("2.0", _):
            guard let arn = raw.routeArn ?? raw.methodArn else {
                throw .notAnAuthorizerEvent(reason: "a version 2.0 event without routeArn")
            }
            return AuthorizerEvent(kind: .httpAPIv2, headerValue: header, methodArn: arn)
        case (_, "TOKEN"):
            guard raw.methodArn != nil else {
                throw .notAnAuthorizerEvent(reason: "a TOKEN event without methodArn")
            }
            return AuthorizerEvent(kind: .restToken, headerValue: raw.authorizationToken, methodArn: raw.methodArn)
        case (_, "REQUEST"):
            guard raw.methodArn != nil else {
                throw .notAnAuthorizerEvent(reason: "a REQUEST event without methodArn")
            }
            return AuthorizerEvent(kind: .restRequest, headerValue: header, methodArn: raw.methodArn)
        default:
            throw .notAnAuthorizerEvent(reason: "neither version 2.0 nor type REQUEST/TOKEN; configure the function as an API Gateway Lambda authorizer")
        }
    }

    private struct RawEvent: Decodable {
        var version: String?
        var type: String?
        var routeArn: String?
        var methodArn: String?
        var authorizationToken: String?
        var headers: [String: String]?

        enum CodingKeys: String, CodingKey {
            case version, type, routeArn, methodArn, authorizationToken, headers
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            version = try? c.decodeIfPresent(String.self, forKey: .version)
            type = try? c.decodeIfPresent(String.self, forKey: .type)
            routeArn = try? c.decodeIfPresent(String.self, forKey: .routeArn)
            methodArn = try? c.decodeIfPresent(String.self, forKey: .methodArn)
            authorizationToken = try? c.decodeIfPresent(String.self, forKey: .authorizationToken)
            headers = (try? c.decodeIfPresent([String: String?].self, forKey: .headers))?.flatMap { $0 }?.compactMapValues { $0 }
        }
    }
}

/// An event an origin authorizer cannot answer.
public enum AuthorizerEventError: Error, Sendable, Hashable, CustomStringConvertible {
    case notAnAuthorizerEvent(reason: String)

    public var description: String {
        switch self {
        case .notAnAuthorizerEvent(let reason): "NotAnAuthorizerEvent: \(reason)"
        }
    }
}
