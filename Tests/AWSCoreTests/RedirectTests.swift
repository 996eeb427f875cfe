import AWSCore
import Logging
import NIOHTTP1
import Testing
import TestSupport

/// Request bodies carry secret values (PutSecretValue, a distribution's custom headers): no AWS
/// call may follow a redirect to another host, whichever way the client was built.
@Suite(.timeLimit(.minutes(1))) struct RedirectTests {
    static let secretBody = Array(#"{"SecretId":"s","SecretString":"{\"HTTP_API_KEY\":\"not-for-elsewhere\"}"}"#.utf8)

    static func clients(_ endpoint: String) throws -> [(String, AWSClient)] {
        let environment = AWSEnvironment(
            variables: ["AWS_ENDPOINT_URL": endpoint, "AWS_REGION": "us-east-1",
                        "AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "test", "AWS_MAX_ATTEMPTS": "1"],
            homeDirectory: "/nonexistent")
        let direct = AWSClient(region: "us-east-1",
                               credentialProvider: StaticCredentialProvider(AWSCredentials(accessKeyId: "AKIDTEST", secretAccessKey: "test")),
                               environment: environment, retryPolicy: RetryPolicy(maxAttempts: 1), logger: Logger(label: "test"))
        let fromEnvironment = try AWSClient.fromEnvironment(environment, logger: Logger(label: "test"))
        return [("the default transport", direct), ("the environment's transport", fromEnvironment)]
    }

    @Test func aRedirectIsAnErrorAndNothingReachesTheOtherHost() async throws {
        try await RedirectingOrigin.with { servers in
            for (name, client) in try Self.clients(servers.origin.endpoint) {
                await #expect(throws: AWSError.self, "\(name): a 302 is an error, not a place to send the body") {
                    _ = try await client.send(service: .secretsManager, operation: "PutSecretValue", method: .POST,
                                              headers: ["X-Amz-Target": "secretsmanager.PutSecretValue",
                                                        "Content-Type": "application/x-amz-json-1.1"],
                                              body: Self.secretBody)
                }
            }
            #expect(servers.origin.requests.count == 2, "one attempt per client")
            let followed = servers.elsewhere.requests.count
            #expect(followed == 0, "no request followed the redirect")
        }
    }
}
