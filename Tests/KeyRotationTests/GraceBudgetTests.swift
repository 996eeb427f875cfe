import Foundation
import KeyRotation
import OriginVerifier
import Testing

/// The grace budget with nothing configured: `AWSPREVIOUS` stays accepted for at least CloudFront's
/// propagation (budgeted at 15 minutes) + API Gateway's default authorizer result TTL (300 s) + the
/// verifier's cache TTL, and setSecret waits at least as long as the verifier caches. The same
/// holds for the deployment template's defaults.
@Suite struct GraceBudgetTests {
    static let propagationBudget = Duration.seconds(15 * 60)
    static let gatewayDefaultResultTTL = Duration.seconds(300)

    @Test func theFunctionsDefaultsHoldTheBudget() throws {
        let verifier = try OriginVerifier.Configuration.fromEnvironment(["SECRET_NAME": "origin-secret"])
        let rotation = try CloudFrontRotationConfiguration(environment: ["CLOUDFRONT_DISTRIBUTION_ID": "E1"])
        let needed = Self.propagationBudget + Self.gatewayDefaultResultTTL + verifier.cacheTTL
        #expect(verifier.previousGracePeriod >= needed, "PREVIOUS_GRACE_SECONDS' default covers propagation + result TTL + CACHE_TTL_SECONDS")
        #expect(rotation.verifierCacheTTL >= verifier.cacheTTL, "VERIFIER_CACHE_TTL_SECONDS' default is at least the authorizer's CACHE_TTL_SECONDS")
    }

    @Test func theTemplatesDefaultsHoldTheBudget() throws {
        let template = try String(contentsOf: URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("deploy/template.yaml"), encoding: .utf8)
        func defaultSeconds(_ parameter: String) throws -> Duration {
            let lines = template.split(separator: "\n", omittingEmptySubsequences: false)
            let start = try #require(lines.firstIndex { $0 == "  \(parameter):" }, "the template declares \(parameter)")
            let line = try #require(lines[(start + 1)...].prefix { $0.hasPrefix("    ") }.first { $0.hasPrefix("    Default:") })
            let value = line.dropFirst("    Default:".count).trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            return .seconds(try #require(Int(value), "\(parameter)'s default is a number"))
        }
        let grace = try defaultSeconds("PreviousGraceSeconds")
        let resultTTL = try defaultSeconds("AuthorizerResultTtlSeconds")
        let verifierTTL = try defaultSeconds("VerifierCacheTtlSeconds")
        #expect(grace >= Self.propagationBudget + resultTTL + verifierTTL)
    }
}
