import AWSCore
@testable import AWSServices
import Logging
import Testing
import TestSupport

/// Pagination as the real services do it (moto returns one page for API Gateway): a local server
/// answers page by page, and the clients follow `position` / `NextToken` to the end.
@Suite(.timeLimit(.minutes(5))) struct PaginationTests {
    static func client(_ endpoint: String) -> AWSClient {
        AWSClient(region: "us-east-1", credentialProvider: StaticCredentialProvider(AWSCredentials(accessKeyId: "AKIDTEST", secretAccessKey: "test")),
                  environment: AWSEnvironment(variables: ["AWS_ENDPOINT_URL": endpoint], homeDirectory: "/nonexistent"),
                  retryPolicy: RetryPolicy(maxAttempts: 1), logger: Logger(label: "test"))
    }

    @Test func apiKeysFollowPositionAndFilterByCustomer() async throws {
        try await StubHTTPServer.with({ request, _ in
            let page = request.uri.contains("position=p2") ? 2 : request.uri.contains("position=p3") ? 3 : 1
            let items = (0..<2).map { #"{"id":"k\#(page)-\#($0)","name":"n","customerId":"\#($0 == 0 ? "acme" : "other")","enabled":true}"# }.joined(separator: ",")
            let position = page < 3 ? #","position":"p\#(page + 1)""# : ""
            return .respond(status: 200, body: #"{"item":[\#(items)]\#(position)}"#)
        }) { server in
            let pages = try await APIGatewayClient(client: Self.client(server.endpoint)).getApiKeys(customerId: "acme", limit: 2).collect()
            #expect(pages.count == 3)
            #expect(pages.flatMap { $0 }.map(\.id) == ["k1-0", "k2-0", "k3-0"], "every page, only the customer's keys")
            #expect(server.requests.count == 3)
            #expect(server.requests.allSatisfy { $0.uri.contains("limit=2") })
        }
    }

    @Test func secretVersionsFollowNextToken() async throws {
        try await StubHTTPServer.with({ request, _ in
            let body = String(decoding: request.body, as: UTF8.self)
            let page = body.contains(#""NextToken":"t2""#) ? 2 : 1
            let next = page == 1 ? #","NextToken":"t2""# : ""
            return .respond(status: 200, body: #"{"Versions":[{"VersionId":"v\#(page)","VersionStages":["AWSCURRENT"]}]\#(next)}"#)
        }) { server in
            let versions = try await SecretsManagerClient(client: Self.client(server.endpoint)).listSecretVersionIds(secretId: "s").collect().flatMap { $0 }
            #expect(versions.map(\.versionId) == ["v1", "v2"])
        }
    }

    @Test func aRepeatedTokenEndsTheSequenceInsteadOfLooping() async throws {
        try await StubHTTPServer.with({ _, _ in .respond(status: 200, body: #"{"items":[{"id":"k"}],"position":"same"}"#) }) { server in
            let pages = try await APIGatewayClient(client: Self.client(server.endpoint)).getApiKeys().collect()
            #expect(pages.count == 2)
        }
    }
}
