import AWSServices
import Foundation
import Testing

@Suite struct DistributionConfigEditTests {
    typealias Fixtures = DistributionConfigFixtures

    /// `text` with `target` replaced by `replacement`, requiring `target` to occur exactly once.
    private func replacingOnce(_ target: String, with replacement: String, in text: String) throws -> String {
        let parts = text.components(separatedBy: target)
        try #require(parts.count == 2, "expected exactly one '\(target)' in the fixture")
        return parts.joined(separator: replacement)
    }

    @Test func minimalConfigChangesOnlyTheHeaderValue() throws {
        var config = try DistributionConfig(xml: Array(Fixtures.minimal.utf8))
        let changed = config.setCustomHeader(named: "x-origin-verify", to: "NEW-value-123")
        #expect(changed == ["api-origin"])
        let expected = try replacingOnce(
            "<HeaderValue>OLD-minimal-c2VjcmV0</HeaderValue>", with: "<HeaderValue>NEW-value-123</HeaderValue>",
            in: Fixtures.minimal
        )
        #expect(config.xmlBytes == Array(expected.utf8))
    }

    @Test func fullConfigChangesBothCarryingOriginsAndNothingElse() throws {
        var config = try DistributionConfig(xml: Array(Fixtures.full.utf8))
        let newValue = #"n3w&<v>"'"#
        let changed = config.setCustomHeader(named: "X-Origin-Verify", to: newValue)
        #expect(changed == ["api-primary", "api-secondary"])
        let escaped = #"<HeaderValue>n3w&amp;&lt;v&gt;"'</HeaderValue>"#
        var expected = try replacingOnce("<HeaderValue>OLD-primary-Zm9vYmFy</HeaderValue>", with: escaped, in: Fixtures.full)
        expected = try replacingOnce("<HeaderValue>OLD-secondary-YmF6cXV4</HeaderValue>", with: escaped, in: expected)
        #expect(String(decoding: config.xmlBytes, as: UTF8.self) == expected)
        #expect(config.origins.flatMap(\.customHeaders).map(\.value)
            == [newValue, "acme & co <eu>", newValue])

        let reparsed = try DistributionConfig(xml: config.xmlBytes)
        #expect(reparsed.origins == config.origins)
    }

    @Test func configWithCommentsAndUnknownElementsKeepsThemAll() throws {
        var config = try DistributionConfig(xml: Array(Fixtures.unknownElementsAndComments.utf8))
        #expect(config.setCustomHeader(named: "x-origin-verify", to: "rotated") == ["legacy-api"])
        let expected = try replacingOnce(
            "<HeaderValue>&#x4F;LD-legacy-&#97;bc</HeaderValue>", with: "<HeaderValue>rotated</HeaderValue>",
            in: Fixtures.unknownElementsAndComments
        )
        #expect(String(decoding: config.xmlBytes, as: UTF8.self) == expected)
    }

    @Test func motoConfigChangesOnlyTheAPIOrigin() throws {
        var config = try DistributionConfig(xml: Array(Fixtures.moto.utf8))
        #expect(config.origins.map(\.id) == ["api", "s3"])
        #expect(config.comment == "a & b")
        #expect(config.setCustomHeader(named: "x-origin-verify", to: "NEW-moto") == ["api"])
        let expected = try replacingOnce(
            "<HeaderValue>OLD-moto-value</HeaderValue>", with: "<HeaderValue>NEW-moto</HeaderValue>", in: Fixtures.moto
        )
        #expect(config.xmlBytes == Array(expected.utf8))
    }

    @Test func settingTheValueItAlreadyHasChangesNothing() throws {
        var config = try DistributionConfig(xml: Array(Fixtures.unknownElementsAndComments.utf8))
        #expect(config.setCustomHeader(named: "x-origin-verify", to: "OLD-legacy-abc").isEmpty)
        #expect(config.xmlBytes == Array(Fixtures.unknownElementsAndComments.utf8))

        var full = try DistributionConfig(xml: Array(Fixtures.full.utf8))
        #expect(full.setCustomHeader(named: "x-origin-verify", to: "NEW") == ["api-primary", "api-secondary"])
        let once = full.xmlBytes
        #expect(full.setCustomHeader(named: "x-origin-verify", to: "NEW").isEmpty)
        #expect(full.xmlBytes == once)
    }

    @Test func aHeaderNoOriginCarriesChangesNothing() throws {
        var config = try DistributionConfig(xml: Array(Fixtures.full.utf8))
        #expect(config.setCustomHeader(named: "x-not-there", to: "v").isEmpty)
        #expect(config.xmlBytes == Array(Fixtures.full.utf8))
    }

    @Test func anEmptyHeaderValueElementGetsTheNewValue() throws {
        let xml = Fixtures.minimal.replacingOccurrences(
            of: "<HeaderValue>OLD-minimal-c2VjcmV0</HeaderValue>", with: "<HeaderValue/>"
        )
        var config = try DistributionConfig(xml: Array(xml.utf8))
        #expect(config.origins.first?.customHeaders.first?.value == "")
        #expect(config.setCustomHeader(named: "x-origin-verify", to: "v1") == ["api-origin"])
        #expect(String(decoding: config.xmlBytes, as: UTF8.self) == Fixtures.minimal.replacingOccurrences(
            of: "OLD-minimal-c2VjcmV0", with: "v1"
        ))
    }
}
