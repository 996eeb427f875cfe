import AWSCore
import AWSServices
import LambdaRuntime
import OriginVerifier

/// `origin-authorizer`: an API Gateway Lambda authorizer (HTTP APIs, payload 2.0, and REST APIs)
/// that lets a request in when its origin header holds a value an edge may still send. A drop-in
/// for amazon-api-gateway-secure-authorizer's configuration (`SECRET_NAME`, `SECRET_KEY_NAME`,
/// `HEADER_NAME`), with the verifier's cache so that steady traffic costs about one Secrets
/// Manager call per cache window.
struct OriginAuthorizerHandler: LambdaHandler {
    let authorizer: OriginAuthorizer

    init(context: LambdaInitContext) async throws {
        let configuration = try OriginVerifier.Configuration.fromEnvironment(context.environment)
        // Two attempts fit in one refresh's time bound; the verifier enforces the bound itself too.
        let client = try AWSClient.fromEnvironment(AWSEnvironment(variables: context.environment), timeout: configuration.refreshTimeout / 2,
                                                   userAgent: HandlerRegistry.userAgent,
                                                   logger: context.logger)
        let verifier = OriginVerifier(configuration: configuration, secretsManager: SecretsManagerClient(client: client), logger: context.logger)
        authorizer = OriginAuthorizer(verifier: verifier, options: try .fromEnvironment(context.environment))
        // Load the key ring during init (not billed against the first request); a failure here is
        // logged by the verifier and retried on the first request.
        try? await verifier.refresh()
    }

    /// How long an invocation may wait for a refresh: its remaining time less a margin for answering
    /// (a quarter of it, at most one second).
    static func answeringTime(_ remaining: Duration) -> Duration {
        remaining - min(.seconds(1), remaining / 4)
    }

    func handle(_ event: [UInt8], context: LambdaContext) async throws -> [UInt8] {
        do {
            return try await authorizer.handle(event: event, deadline: .now + Self.answeringTime(context.remainingTime))
        } catch {
            throw ReportedError(error)
        }
    }
}
