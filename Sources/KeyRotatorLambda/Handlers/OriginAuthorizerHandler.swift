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
        let client = try AWSClient.fromEnvironment(AWSEnvironment(variables: context.environment), logger: context.logger)
        let verifier = OriginVerifier(configuration: configuration, secretsManager: SecretsManagerClient(client: client), logger: context.logger)
        authorizer = OriginAuthorizer(verifier: verifier, options: try .fromEnvironment(context.environment))
        // Load the key ring during init (not billed against the first request); a failure here is
        // logged by the verifier and retried on the first request.
        try? await verifier.refresh()
    }

    func handle(_ event: [UInt8], context: LambdaContext) async throws -> [UInt8] {
        do {
            return try await authorizer.handle(event: event)
        } catch {
            throw ReportedError(error)
        }
    }
}
