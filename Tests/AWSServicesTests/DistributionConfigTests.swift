import AWSServices
import Foundation
import Testing
import TestSupport

@Suite struct DistributionConfigTests {
    typealias Fixtures = DistributionConfigFixtures

    @Test(arguments: [Fixtures.minimal, Fixtures.full, Fixtures.unknownElementsAndComments, Fixtures.moto])
    func unchangedConfigRoundTripsByteForByte(xml: String) throws {
        let bytes = Array(xml.utf8)
        let config = try DistributionConfig(xml: bytes)
        #expect(config.xmlBytes == bytes)
    }

    @Test func readsOriginsAndHeadersOfTheFullConfig() throws {
        let config = try DistributionConfig(xml: Array(Fixtures.full.utf8))
        #expect(config.declaredNamespace == DistributionConfig.namespace)
        #expect(config.callerReference == "keyrotator-full-2024-01-01")
        #expect(config.comment == "Prod API & static site <managed by KeyRotator>")
        #expect(config.enabled == true)
        #expect(config.origins.map(\.id) == ["api-primary", "api-secondary", "static-s3"])
        #expect(config.origins.map(\.domainName) == [
            "abc123.execute-api.eu-west-1.amazonaws.com",
            "def456.execute-api.us-east-1.amazonaws.com",
            "assets-bucket.s3.eu-west-1.amazonaws.com",
        ])
        #expect(config.origins[0].customHeaders == [
            .init(name: "x-origin-verify", value: "OLD-primary-Zm9vYmFy"),
            .init(name: "X-Tenant", value: "acme & co <eu>"),
        ])
        #expect(config.origins[1].customHeaders == [.init(name: "X-Origin-Verify", value: "OLD-secondary-YmF6cXV4")])
        #expect(config.origins[2].customHeaders.isEmpty)
    }

    @Test func findsOriginsCarryingAHeaderWhateverItsCase() throws {
        let config = try DistributionConfig(xml: Array(Fixtures.full.utf8))
        #expect(config.origins(carryingHeader: "x-origin-verify") == ["api-primary", "api-secondary"])
        #expect(config.origins(carryingHeader: "X-ORIGIN-VERIFY") == ["api-primary", "api-secondary"])
        #expect(config.origins(carryingHeader: "x-tenant") == ["api-primary"])
        #expect(config.origins(carryingHeader: "x-absent").isEmpty)
    }

    @Test func readsTheConfigWithUnknownElementsAndReferences() throws {
        let config = try DistributionConfig(xml: Array(Fixtures.unknownElementsAndComments.utf8))
        #expect(config.callerReference == "ref & \"quoted\" \u{263A}")
        #expect(config.comment == "tabs\tand <angles> & ampersands")
        #expect(config.enabled == false)
        #expect(config.origins.map(\.id) == ["legacy-api", "other"])
        #expect(config.origins[0].customHeaders == [.init(name: "X-ORIGIN-VERIFY", value: "OLD-legacy-abc")])
        #expect(config.origins(carryingHeader: "x-origin-verify") == ["legacy-api"])
    }

    @Test func minimalConfigAccessors() throws {
        let config = try DistributionConfig(xml: Array(Fixtures.minimal.utf8))
        #expect(config.callerReference == "cli-1700000000-123456")
        #expect(config.comment == "")
        #expect(config.enabled == true)
        #expect(config.origins == [
            .init(id: "api-origin", domainName: "abc123.execute-api.us-east-1.amazonaws.com",
                  customHeaders: [.init(name: "x-origin-verify", value: "OLD-minimal-c2VjcmV0")]),
        ])
    }

    @Test func headerValuesNeverAppearInDescriptions() throws {
        let config = try DistributionConfig(xml: Array(Fixtures.minimal.utf8))
        let origin = try #require(config.origins.first)
        for text in ["\(origin)", String(describing: origin.customHeaders), String(reflecting: origin)] {
            #expect(!text.contains("OLD-minimal-c2VjcmV0"))
            #expect(text.contains("x-origin-verify"))
        }
    }

    @Test func parsesAFiftyKilobyteConfigQuickly() throws {
        let origin = try #require(Fixtures.full.range(of: "<Origin><Id>api-secondary</Id>"))
        let originEnd = try #require(Fixtures.full.range(of: "</Origin>", range: origin.upperBound..<Fixtures.full.endIndex))
        let oneOrigin = String(Fixtures.full[origin.lowerBound..<originEnd.upperBound])
        let many = (0..<60).map { oneOrigin.replacingOccurrences(of: "api-secondary", with: "origin-\($0)") }.joined()
        let xml = Fixtures.full.replacingOccurrences(of: oneOrigin, with: oneOrigin + many)
        let bytes = Array(xml.utf8)
        #expect(bytes.count > 50_000)
        var (parsed, cpuTime) = try measureThreadCPUTime { try DistributionConfig(xml: bytes) }
        #expect(parsed.origins.count == 63)
        #expect(parsed.setCustomHeader(named: "x-origin-verify", to: "NEW").count == 62)
        #expect(cpuTime < .milliseconds(500), "the parse's own CPU time, which the machine's load does not inflate")
    }
}
