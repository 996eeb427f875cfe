import AWSCore
import AWSServices
import Foundation
import KeyMaterial
import KeyRotation
import KeyRotationLive
import Logging
import Testing
import TestSupport

/// Shared set-up and end-state checks for the origin-secret rotation tests.
struct RotationTestKit {
    let moto: MotoServer
    let setup: AWSClient

    static func make() async throws -> RotationTestKit {
        let moto = try await MotoServer.shared()
        return RotationTestKit(moto: moto, setup: moto.client())
    }

    /// A rotator for `scenario` that talks to `endpoint` (moto, or a proxy in front of it).
    func rotator(_ scenario: OriginSecretScenario, endpoint: String? = nil, maxAttempts: Int = 3, originURL: String? = nil,
                 verifierCacheTTL: Double = 0, verifierWaitMargin: Double = 0) throws -> CloudFrontRotator {
        let configuration = try CloudFrontRotationConfiguration(environment: scenario.environment(
            originURL: originURL, verifierCacheTTL: verifierCacheTTL, verifierWaitMargin: verifierWaitMargin))
        return CloudFrontRotator(configuration: configuration, client: moto.client(endpoint: endpoint, maxAttempts: maxAttempts))
    }

    static func deadline(_ seconds: Double = 60) -> ContinuousClock.Instant { .now + .milliseconds(Int(seconds * 1000)) }

    /// Runs `steps` of the rotation with `token`.
    static func run(_ rotator: CloudFrontRotator, _ scenario: OriginSecretScenario, token: String, steps: [RotationStep] = RotationStep.allCases,
                    logger: Logger = Logger(label: "test"), deadline: ContinuousClock.Instant = deadline()) async throws {
        for step in steps {
            try await rotator.run(RotationEvent(step: step, secretId: scenario.secretName, clientRequestToken: token), deadline: deadline, logger: logger)
        }
    }

    /// The version carrying AWSCURRENT now.
    func currentVersion(_ scenario: OriginSecretScenario) async throws -> String? {
        try await SecretsManagerClient(client: setup).describeSecret(secretId: scenario.secretName).version(withStage: "AWSCURRENT")
    }

    /// What a finished rotation leaves: `token` is AWSCURRENT, the old version AWSPREVIOUS, a new
    /// 32-character value with the secret's other keys kept, and every distribution's configuration
    /// as it was except that each origin carrying the header sends the new value.
    func expectRotated(_ scenario: OriginSecretScenario, token: String, previousVersion: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let sm = SecretsManagerClient(client: setup)
        let described = try await sm.describeSecret(secretId: scenario.secretName)
        #expect(described.version(withStage: "AWSCURRENT") == token, sourceLocation: sourceLocation)
        #expect(described.version(withStage: "AWSPREVIOUS") == previousVersion, sourceLocation: sourceLocation)
        let current = try await sm.getSecretValue(secretId: scenario.secretName)
        let document = try SecretDocument(secretString: current.secretString ?? "", secretId: scenario.secretName)
        let newValue = try #require(document.value(forKey: "HTTP_API_KEY"), sourceLocation: sourceLocation)
        #expect(fingerprint(newValue) != fingerprint(scenario.initialValue), "the value changed", sourceLocation: sourceLocation)
        let wellFormed = newValue.count == 32 && newValue.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        #expect(wellFormed, "32 characters from A-Z a-z 0-9", sourceLocation: sourceLocation)
        #expect(document.value(forKey: "keep") == "this", "other keys of the secret are kept", sourceLocation: sourceLocation)
        #expect(current.secretString?.contains(#""n":7"#) == true, sourceLocation: sourceLocation)

        try await expectEveryOriginSendsTheCurrentValue(scenario, sourceLocation: sourceLocation)
    }

    /// Every origin of every distribution sends the secret's current value, and each configuration is
    /// byte for byte as it was set up but for that header value.
    func expectEveryOriginSendsTheCurrentValue(_ scenario: OriginSecretScenario, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let current = try await SecretsManagerClient(client: setup).getSecretValue(secretId: scenario.secretName)
        let value = try #require(try SecretDocument(secretString: current.secretString ?? "", secretId: scenario.secretName).value(forKey: "HTTP_API_KEY"),
                                 sourceLocation: sourceLocation)
        for id in scenario.distributionIds {
            let config = try await CloudFrontClient(client: setup).getDistributionConfig(id: id).config
            let sent = config.origins.flatMap(\.customHeaders).filter { $0.name.lowercased() == scenario.headerName }.map(\.value)
            let allCurrent = !sent.isEmpty && sent.allSatisfy { $0 == value }
            #expect(allCurrent, "every origin of \(id) sends the current value", sourceLocation: sourceLocation)
            var restored = config
            _ = restored.setCustomHeader(named: scenario.headerName, to: scenario.initialValue)
            let unchanged = restored.xmlBytes == scenario.initialConfigs[id]?.xmlBytes
            #expect(unchanged, "\(id) is byte for byte as before but for the header value", sourceLocation: sourceLocation)
        }
    }
}
