public import AWSCore
import NIOHTTP1

/// The API Gateway v2 (HTTP APIs) operations KeyRotator uses: reading an HTTP API's authorizers.
public struct APIGatewayV2Client: Sendable {
    public let client: AWSClient
    private var service: AWSService { .apiGateway }

    public init(client: AWSClient) { self.client = client }

    /// An HTTP API's authorizers (`GET /v2/apis/{apiId}/authorizers`), a page at a time.
    public func getAuthorizers(apiId: String) -> PageSequence<[HTTPAPIAuthorizer]> {
        let client = self.client, service = self.service
        return PageSequence { nextToken in
            var query: [(name: String, value: String)] = []
            if let nextToken { query.append(("nextToken", nextToken)) }
            let page: Page = try await client.restJSON(service: service, operation: "GetAuthorizers", method: .GET,
                                                       path: AWSURIEncoding.path(["v2", "apis", apiId, "authorizers"]), query: query)
            return (page.items ?? [], page.nextToken)
        }
    }

    struct Page: Decodable {
        var items: [HTTPAPIAuthorizer]?
        var nextToken: String?
    }
}

/// An HTTP API's authorizer (only the fields KeyRotator reads).
public struct HTTPAPIAuthorizer: Decodable, Sendable {
    public var authorizerId: String
    public var name: String?
    /// `REQUEST` (a Lambda authorizer) or `JWT`.
    public var authorizerType: String?
    /// For a Lambda authorizer, the invocation URI naming the function.
    public var authorizerUri: String?
    public var identitySource: [String]?
    /// How long API Gateway caches the authorizer's answer; 0 turns caching off.
    public var authorizerResultTtlInSeconds: Int?
}
