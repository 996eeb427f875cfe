import AWSServices
import Foundation
import KeyMaterial
import KeyRotation
import LocalEmulator
import NIOHTTP1
import Testing
import TestSupport

/// The `cloudfront-rotation` handler in the real `bootstrap`, through the Runtime API emulator,
/// against moto with authentication on.
@Suite(.timeLimit(.minutes(5))) struct CloudFrontRotationFunctionTests {
    @Test(arguments: [1, 2])
    func aFullRotationProbesTheOriginAndChangesOnlyTheHeader(distributions: Int) async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup, distributions: distributions, originsPerDistribution: 2)
        let before = try #require(try await kit.currentVersion(scenario))
        let token = try await scenario.startRotation(kit.setup)
        try await TestOrigin.with(accepting: [scenario.initialValue]) { origin in
            try await RotationFunction.with(scenario, moto: kit.moto, originURL: origin.endpoint) { function in
                #expect(try await function.run([.createSecret], token: token) == nil)
                let pending = try await SecretsManagerClient(client: kit.setup).getSecretValue(secretId: scenario.secretName, versionStage: "AWSPENDING")
                let pendingValue = try #require(try SecretDocument(secretString: pending.secretString ?? "", secretId: "s").value(forKey: "HTTP_API_KEY"))
                origin.accept([scenario.initialValue, pendingValue])
                #expect(try await function.run([.setSecret, .testSecret, .finishSecret], token: token) == nil)
                try await kit.expectRotated(scenario, token: token, previousVersion: before)

                let probes = origin.requests.compactMap { $0.headers.first(name: "x-origin-verify") }
                let probedBoth = probes.contains(pendingValue) && probes.contains(scenario.initialValue)
                let probedWrong = probes.contains { $0 != pendingValue && $0 != scenario.initialValue }
                #expect(probedBoth, "testSecret probed with pending and current")
                #expect(probedWrong, "and with a wrong value")
                let stdout = function.lambda.standardOutput
                let leaked = stdout.contains(pendingValue) || stdout.contains(scenario.initialValue)
                #expect(!leaked, "no value in the function's logs")
                #expect(stdout.contains("sha256:\(fingerprint(pendingValue))"))

                // Each invocation wrote its metrics before answering: one duration per step, the updates.
                let documents = try EMFDocument.all(in: stdout)
                for step in RotationStep.allCases {
                    #expect(EMFDocument.samples(RotationMetrics.Name.stepDuration, in: documents, where: ["Step": step.rawValue, "Outcome": "Success"]) == 1, "\(step)")
                }
                #expect(EMFDocument.total(RotationMetrics.Name.distributionsUpdated, in: documents) == Double(distributions))
                #expect(EMFDocument.samples(RotationMetrics.Name.verifierWait, in: documents) == 1)
                #expect(EMFDocument.samples(RotationMetrics.Name.deployedWait, in: documents) == 1)
                #expect(documents.allSatisfy { $0.namespace == "KeyRotator" && $0.dimensions["Function"] == "cloudfront-rotation" })
            }
        }
    }

    @Test func anHTTPSOriginWithAPrivateCAIsProbedWhenTheCAIsTrusted() async throws {
        let kit = try await RotationTestKit.make()
        let ca = try await TestCertificateAuthority.make()
        defer { ca.remove() }
        let scenario = try await OriginSecretScenario.make(kit.setup, everyOptionalBlock: false)
        let before = try #require(try await kit.currentVersion(scenario))
        let token = try await scenario.startRotation(kit.setup)
        try await TestOrigin.with(accepting: [scenario.initialValue], tls: ca.server) { origin in
            #expect(origin.endpoint.hasPrefix("https://"))

            let refused = try #require(try await RotationFunction.with(scenario, moto: kit.moto, originURL: origin.endpoint) {
                try await $0.run([.createSecret, .setSecret, .testSecret], token: token)
            })
            #expect(refused.errorType == "KeyRotator.OriginTestFailed")
            #expect(refused.errorMessage?.contains("ORIGIN_CA_FILE") == true, "the message says what to set")

            let pending = try await SecretsManagerClient(client: kit.setup).getSecretValue(secretId: scenario.secretName, versionStage: "AWSPENDING")
            let pendingValue = try #require(try SecretDocument(secretString: pending.secretString ?? "", secretId: "s").value(forKey: "HTTP_API_KEY"))
            origin.accept([scenario.initialValue, pendingValue])
            try await RotationFunction.with(scenario, moto: kit.moto, originURL: origin.endpoint, extra: ["ORIGIN_CA_FILE": ca.caCertificatePath]) { function in
                #expect(try await function.run([.testSecret, .finishSecret], token: token) == nil)
                try await kit.expectRotated(scenario, token: token, previousVersion: before)
                let probedPending = origin.requests.contains { $0.headers.first(name: "x-origin-verify") == pendingValue }
                #expect(probedPending, "the pending value was probed over HTTPS")
            }
        }
    }

    @Test func everyStepRunTwiceEndsTheSame() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup, distributions: 2)
        let before = try #require(try await kit.currentVersion(scenario))
        let token = try await scenario.startRotation(kit.setup)
        try await RotationFunction.with(scenario, moto: kit.moto) { function in
            for step in RotationStep.allCases {
                #expect(try await function.run([step, step], token: token) == nil, "\(step) twice")
            }
            try await kit.expectRotated(scenario, token: token, previousVersion: before)
            // Secrets Manager replaying the whole rotation after the end changes nothing.
            let sm = SecretsManagerClient(client: kit.setup)
            let value = try await sm.getSecretValue(secretId: scenario.secretName).secretString
            #expect(try await function.run(token: token) == nil)
            let replayed = try await sm.getSecretValue(secretId: scenario.secretName).secretString
            #expect(replayed.map(fingerprint) == value.map(fingerprint))
            try await kit.expectRotated(scenario, token: token, previousVersion: before)
        }
    }

    @Test func anOriginThatAcceptsAnythingFailsTestSecret() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup, everyOptionalBlock: false)
        let before = try #require(try await kit.currentVersion(scenario))
        let token = try await scenario.startRotation(kit.setup)
        try await TestOrigin.with(accepting: [], acceptEverything: true) { origin in
            try await RotationFunction.with(scenario, moto: kit.moto, originURL: origin.endpoint) { function in
                let report = try #require(try await function.run(token: token))
                #expect(report.errorType == "KeyRotator.OriginTestFailed")
                #expect(report.errorMessage?.contains("accepted a random wrong value") == true)
                #expect(try await kit.currentVersion(scenario) == before, "a failed test never finishes the rotation")
                let documents = try EMFDocument.all(in: function.lambda.standardOutput)
                #expect(EMFDocument.total(RotationMetrics.Name.stepFailed, in: documents, where: ["Step": "testSecret"]) == 1, "the failure is counted for an alarm")
                #expect(EMFDocument.samples(RotationMetrics.Name.stepDuration, in: documents, where: ["Step": "testSecret", "Outcome": "OriginTestFailed"]) == 1)
            }
        }
    }

    @Test func anOriginThatRejectsThePendingValueFailsTestSecret() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup, everyOptionalBlock: false)
        let token = try await scenario.startRotation(kit.setup)
        try await TestOrigin.with(accepting: [scenario.initialValue]) { origin in
            try await RotationFunction.with(scenario, moto: kit.moto, originURL: origin.endpoint) { function in
                let report = try #require(try await function.run(token: token))
                #expect(report.errorType == "KeyRotator.OriginTestFailed")
                #expect(report.errorMessage?.contains("rejected the pending value") == true)
            }
        }
    }

    @Test func invalidEventsAndVersionsAreRejectedWithoutChange() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup, everyOptionalBlock: false)
        let before = try #require(try await kit.currentVersion(scenario))
        try await RotationFunction.with(scenario, moto: kit.moto) { function in
            let notEnabled = try #require(try await function.invoke(.createSecret, token: before).errorReport)
            #expect(notEnabled.errorType == "KeyRotator.RotationNotEnabled", "no rotation enabled or requested")
            _ = try await scenario.startRotation(kit.setup)
            let unknown = try #require(try await function.invoke(.createSecret, token: UUID().uuidString).errorReport)
            #expect(unknown.errorType == "KeyRotator.UnknownVersion")
            let bad = try #require(try await function.lambda.invoke(json: #"{"Step":"dropTables","SecretId":"x","ClientRequestToken":"t"}"#).errorReport)
            #expect(bad.errorType == "Runtime.InvalidEvent")
            #expect(bad.errorMessage?.contains("Step") == true)
            // The current version's own token: nothing to do.
            let current = try await function.invoke(.finishSecret, token: before)
            #expect(current.errorReport == nil)
            #expect(try await kit.currentVersion(scenario) == before)
        }
    }

    @Test func aMissingDistributionSettingIsAnInitErrorNamingTheVariable() async throws {
        let moto = try await MotoServer.shared()
        try await RuntimeAPIEmulator.with(handler: "cloudfront-rotation", environment: moto.environment()) { lambda in
            let report = try await lambda.initError()
            #expect(report.errorType == "KeyRotator.InvalidConfiguration")
            #expect(report.errorMessage?.contains("CLOUDFRONT_DISTRIBUTION_ID") == true)
        }
    }

    @Test func aDistributionWithoutTheHeaderStopsSetSecretBeforeAnyChange() async throws {
        let kit = try await RotationTestKit.make()
        let good = try await OriginSecretScenario.make(kit.setup, everyOptionalBlock: false)
        let bare = try await OriginSecretScenario.make(kit.setup, everyOptionalBlock: false, headerOnOrigins: false)
        // One secret, two distributions: the first carries the header, the second does not.
        let scenario = OriginSecretScenario(secretName: good.secretName, distributionIds: good.distributionIds + bare.distributionIds,
                                            headerName: good.headerName, initialValue: good.initialValue,
                                            initialConfigs: good.initialConfigs.merging(bare.initialConfigs) { a, _ in a })
        let token = try await scenario.startRotation(kit.setup)
        try await RotationFunction.with(scenario, moto: kit.moto) { function in
            let report = try #require(try await function.run([.createSecret, .setSecret], token: token))
            #expect(report.errorType == "KeyRotator.HeaderMissing")
            #expect(report.errorMessage?.contains(bare.distributionIds[0]) == true)
            let cloudFront = CloudFrontClient(client: kit.setup)
            for id in scenario.distributionIds {
                let untouched = try await cloudFront.getDistributionConfig(id: id).config.xmlBytes == scenario.initialConfigs[id]?.xmlBytes
                #expect(untouched, "\(id) untouched")
            }
        }
    }
}
