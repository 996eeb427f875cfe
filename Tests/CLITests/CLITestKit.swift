import AWSCore
import AWSServices
import Foundation
import KeyMaterial
import KeyRotation
import KeyRotationLive
import Logging
import TestSupport

/// Set-up shared by the CLI suites: moto, a scenario, and playing parts of a rotation.
enum CLITestKit {
    static func moto() async throws -> (MotoServer, AWSClient) {
        let moto = try await MotoServer.shared()
        return (moto, moto.client())
    }

    /// Moves every distribution to `Deployed` the way moto does: a new one is `InProgress` until described once.
    static func deploy(_ client: AWSClient, _ scenario: OriginSecretScenario) async throws {
        for id in scenario.distributionIds { _ = try await CloudFrontClient(client: client).getDistribution(id: id) }
    }

    /// A rotator for `scenario` with quick polling, as the Lambda function would run it.
    static func rotator(_ client: AWSClient, _ scenario: OriginSecretScenario, originURL: String? = nil) throws -> CloudFrontRotator {
        CloudFrontRotator(configuration: try CloudFrontRotationConfiguration(environment: scenario.environment(originURL: originURL)), client: client)
    }

    static func run(_ rotator: CloudFrontRotator, _ step: RotationStep, _ scenario: OriginSecretScenario, token: String) async throws {
        try await rotator.run(RotationEvent(step: step, secretId: scenario.secretName, clientRequestToken: token),
                              deadline: .now + .seconds(60), logger: Logger(label: "test-function") { _ in SwiftLogNoOpLogHandler() })
    }

    /// The value of the secret's `AWSCURRENT` version (test-only; never printed).
    static func currentValue(_ client: AWSClient, _ secretName: String) async throws -> String? {
        let text = try await SecretsManagerClient(client: client).getSecretValue(secretId: secretName).secretString ?? ""
        return try SecretDocument(secretString: text, secretId: secretName).value(forKey: "HTTP_API_KEY")
    }

    /// Sets the header of the first origin of `distributionId` that sends it to `value`, behind
    /// KeyRotator's back (as a console edit would). Returns that origin's id.
    static func editHeader(_ client: AWSClient, distributionId: String, headerName: String, to value: String) async throws -> String {
        let cloudFront = CloudFrontClient(client: client)
        let (config, etag) = try await cloudFront.getDistributionConfig(id: distributionId)
        let origin = try requireValue(config.origins.first { $0.customHeaders.contains { $0.name.lowercased() == headerName } }, "no origin sends \(headerName)")
        let old = try requireValue(origin.customHeaders.first { $0.name.lowercased() == headerName }?.value, "no header")
        var xml = String(decoding: config.xmlBytes, as: UTF8.self)
        let range = try requireValue(xml.range(of: "<HeaderValue>\(old)</HeaderValue>"), "header value not found in the XML")
        xml.replaceSubrange(range, with: "<HeaderValue>\(value)</HeaderValue>")
        try await cloudFront.updateDistribution(id: distributionId, config: try DistributionConfig(xml: Array(xml.utf8)), ifMatch: etag)
        return origin.id
    }

    static func requireValue<T>(_ value: T?, _ message: String) throws -> T {
        guard let value else { throw CLIProcess.CLIProcessError(message) }
        return value
    }

    static func array(_ object: Any?) -> [[String: Any]] { object as? [[String: Any]] ?? [] }
}
