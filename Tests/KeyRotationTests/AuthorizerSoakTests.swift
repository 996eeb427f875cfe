import AWSServices
import Foundation
import KeyMaterial
import KeyRotation
import LocalEmulator
import Testing
import TestSupport

/// Soak: one `origin-authorizer` process answers authorizations through the Runtime API emulator
/// while the secret is rotated in between (a rotation every 100,000): `KEYROTATOR_SOAK_VERIFICATIONS`
/// of them, 1,000,000 in the suite's soak stage on the release artifact (about 1.1 ms each here, the
/// emulator's round trips included: about 19 minutes), else 200,000. Every
/// answer is checked against what the secret says: the current and the previous value allowed,
/// the value from two rotations back and a value never issued denied. Its memory must stay flat:
/// resident size at the end within 10 % of what it was after the first 10,000. Run by
/// `scripts/test.sh` after the suite (`KEYROTATOR_SOAK=1`, with the release `bootstrap` when
/// `KEYROTATOR_BOOTSTRAP` names it); prints its figures.
@Suite(.serialized, .timeLimit(.minutes(45))) struct AuthorizerSoakTests {
    static let enabled = ProcessInfo.processInfo.environment["KEYROTATOR_SOAK"] == "1"
    static let verifications = Int(ProcessInfo.processInfo.environment["KEYROTATOR_SOAK_VERIFICATIONS"] ?? "") ?? 200_000

    static func event(_ value: String) -> [UInt8] {
        Array(#"{"version":"2.0","type":"REQUEST","routeArn":"arn:aws:execute-api:us-east-1:123456789012:abcdef123/prod/GET/pets","routeKey":"GET /pets","headers":{"x-origin-verify":"\#(value)"},"requestContext":{"http":{"method":"GET"}}}"#.utf8)
    }

    static func residentKiB(_ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        return status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
            .flatMap { Int($0.dropFirst("VmRSS:".count).split { $0 == " " || $0 == "\t" }.first ?? "") }
    }

    @Test(.enabled(if: enabled, "a soak: scripts/test.sh runs it after the suite"))
    func aMillionAuthorizationsWithRotationsInBetweenAreAllRightInFlatMemory() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup)
        let secrets = SecretsManagerClient(client: kit.setup)
        let rotator = try kit.rotator(scenario)
        func currentValue() async throws -> String {
            try #require(try SecretDocument(secretString: try await secrets.getSecretValue(secretId: scenario.secretName).secretString ?? "",
                                            secretId: scenario.secretName).value(forKey: "HTTP_API_KEY"))
        }
        var environment = kit.moto.environment()
        environment["AWS_EC2_METADATA_DISABLED"] = "true"
        environment["SECRET_NAME"] = scenario.secretName
        environment["CACHE_TTL_SECONDS"] = "1"
        let wrong = String((0..<32).map { _ in "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".randomElement() ?? "A" })
        let started = ContinuousClock.now
        let (wrongAnswers, rssAfterWarmUp, rssAtEnd) = try await RuntimeAPIEmulator.with(handler: "origin-authorizer", environment: environment) { lambda in
            var values = (current: try await currentValue(), previous: String?.none, retired: String?.none)
            var wrongAnswers = 0
            var rssAfterWarmUp: Int?
            for index in 0..<Self.verifications {
                if index > 0, index % 100_000 == 0 {
                    let token = try await scenario.startRotation(kit.setup)
                    try await RotationTestKit.run(rotator, scenario, token: token)
                    try await scenario.clearPendingLabel(kit.setup, version: token)
                    values = (try await currentValue(), values.current, values.previous)
                    // Every key ring cached before the rotation has expired (CACHE_TTL_SECONDS=1).
                    try await Task.sleep(for: .milliseconds(1500))
                }
                let (value, allowed): (String, Bool) = switch index % 4 {
                case 0: (values.current, true)
                case 1: (values.previous ?? values.current, true)
                case 2: (values.retired ?? wrong, false)
                default: (wrong, false)
                }
                let outcome = try await lambda.invoke(RuntimeAPIInvocation(event: Self.event(value), timeout: .seconds(10)), timeout: .seconds(30))
                let answeredAllowed = outcome.responseText?.contains(#""isAuthorized":true"#) == true
                if answeredAllowed != allowed || outcome.responseText == nil { wrongAnswers += 1 }
                if index == 9_999 { rssAfterWarmUp = Self.residentKiB(lambda.processID) }
            }
            return (wrongAnswers, rssAfterWarmUp, Self.residentKiB(lambda.processID))
        }
        let elapsed = ContinuousClock.now - started
        let warm = try #require(rssAfterWarmUp)
        let end = try #require(rssAtEnd)
        print("soak authorizer: \(Self.verifications) authorizations, \(Self.verifications / 100_000) rotations, \(wrongAnswers) wrong answers, "
              + "RSS \(warm) KiB after 10,000 and \(end) KiB at the end (\(String(format: "%+.1f", Double(end - warm) / Double(warm) * 100)) %), \(elapsed / .seconds(1)) s")
        #expect(wrongAnswers == 0)
        #expect(Double(end) <= Double(warm) * 1.10, "resident memory stays within 10 % of what it was after 10,000")
    }
}
