@testable import OriginVerifier
import Testing

@Suite struct ConfigurationTests {
    @Test func seedDefaultsApplyWhenOnlyTheSecretIsGiven() throws {
        let configuration = try OriginVerifier.Configuration.fromEnvironment(["SECRET_NAME": "origin-secret"])
        #expect(configuration == OriginVerifier.Configuration(secretId: "origin-secret"))
        #expect(configuration.secretKeyName == "HTTP_API_KEY")
        #expect(configuration.headerName == "x-origin-verify")
        #expect(configuration.cacheTTL == .seconds(60))
        #expect(configuration.previousGracePeriod == .seconds(1800))
        #expect(!configuration.debugMode)
    }

    @Test func theSecureAuthorizersVariablesAreHonoured() throws {
        let configuration = try OriginVerifier.Configuration.fromEnvironment([
            "SECRET_NAME": "arn:aws:secretsmanager:us-east-1:123456789012:secret:origin-AbCdEf",
            "SECRET_KEY_NAME": "ORIGIN_KEY", "HEADER_NAME": "X-Custom-Verify", "DEBUG_MODE": "1",
            "CACHE_TTL_SECONDS": "30", "PREVIOUS_GRACE_SECONDS": "3600", "STALE_IF_ERROR_SECONDS": "0",
        ])
        #expect(configuration.secretId.hasSuffix(":secret:origin-AbCdEf"))
        #expect(configuration.secretKeyName == "ORIGIN_KEY")
        #expect(configuration.headerName == "x-custom-verify", "header names compare case-insensitively")
        #expect(configuration.debugMode)
        #expect(configuration.cacheTTL == .seconds(30))
        #expect(configuration.previousGracePeriod == .seconds(3600))
        #expect(configuration.staleIfErrorPeriod == .zero)
    }

    @Test func aMissingSecretOrABadNumberNamesTheVariable() {
        #expect(throws: OriginVerifierError.missingEnvironment(variable: "SECRET_NAME")) {
            try OriginVerifier.Configuration.fromEnvironment(["SECRET_NAME": "  ", "HEADER_NAME": "x-origin-verify"])
        }
        do {
            _ = try OriginVerifier.Configuration.fromEnvironment(["SECRET_NAME": "s", "CACHE_TTL_SECONDS": "0"])
            Issue.record("a zero TTL was accepted")
        } catch {
            #expect(error.description.contains("CACHE_TTL_SECONDS"))
        }
        #expect(throws: OriginVerifierError.self) {
            try OriginVerifier.Configuration.fromEnvironment(["SECRET_NAME": "s", "PREVIOUS_GRACE_SECONDS": "30m"])
        }
    }

    @Test func authorizerOptionsComeFromTheEnvironment() throws {
        #expect(try OriginAuthorizer.Options.fromEnvironment([:]) == OriginAuthorizer.Options())
        let options = try OriginAuthorizer.Options.fromEnvironment(["AUTHORIZER_PRINCIPAL_ID": "edge", "HTTP_API_RESPONSE_FORMAT": "iamPolicy"])
        #expect(options.principalId == "edge" && options.httpAPIFormat == .iamPolicy)
        #expect(throws: OriginVerifierError.invalidEnvironment(variable: "HTTP_API_RESPONSE_FORMAT", expected: "simple or iamPolicy")) {
            try OriginAuthorizer.Options.fromEnvironment(["HTTP_API_RESPONSE_FORMAT": "v2"])
        }
    }
}

@Suite struct ComparisonTests {
    private func equals(_ candidate: String, _ expected: String) -> Bool {
        var candidate = candidate
        return candidate.withUTF8 { ConstantTime.equals($0, Array(expected.utf8)) }
    }

    @Test func equalityIsExact() {
        #expect(equals("abc123", "abc123"))
        #expect(!equals("abc124", "abc123"))
        #expect(!equals("abc12", "abc123"))
        #expect(!equals("abc1234", "abc123"))
        #expect(!equals("", "abc123"))
        #expect(!equals("Abc123", "abc123"))
        // Lengths that differ by a multiple of 256 must not look equal.
        #expect(!equals(String(repeating: "a", count: 300), String(repeating: "a", count: 44)))
        #expect(equals("é€", "é€"))
    }
}
