import AWSServices
import AWSXML
import Foundation
import Testing

@Suite struct DistributionConfigErrorTests {
    typealias Fixtures = DistributionConfigFixtures

    private func failure(_ xml: String) -> DistributionConfigError? {
        do {
            _ = try DistributionConfig(xml: Array(xml.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test func truncatedBodyNamesTheUnclosedElementWithoutEchoingValues() throws {
        let cut = try #require(Fixtures.full.range(of: "OLD-primary-Zm9vYmFy"))
        let truncated = String(Fixtures.full[..<cut.upperBound])
        let error = try #require(failure(truncated))
        guard case .malformedXML(let parseError) = error else {
            Issue.record("expected malformedXML, got \(error)")
            return
        }
        #expect(parseError.reason == .unclosedElement(name: "HeaderValue", openedAtLine: 2))
        #expect(error.description.contains("line 2"))
        #expect(error.description.contains("<HeaderValue>"))
        #expect(error.description.contains("GetDistributionConfig"))
        #expect(!error.description.contains("OLD-primary"))
    }

    @Test func malformedMarkupInsideAValueIsReportedWithoutTheValue() throws {
        let broken = Fixtures.minimal.replacingOccurrences(of: "OLD-minimal-c2VjcmV0", with: "OLD-minimal&c2VjcmV0")
        let error = try #require(failure(broken))
        #expect(!error.description.contains("c2VjcmV0"))
        guard case .malformedXML(let parseError) = error else {
            Issue.record("expected malformedXML, got \(error)")
            return
        }
        #expect(parseError.line == 2)
    }

    @Test func aGetDistributionBodyIsRefusedWithAHint() throws {
        let body = """
            <?xml version="1.0"?>
            <Distribution xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Id>E1</Id></Distribution>
            """
        let error = try #require(failure(body))
        #expect(error == .unexpectedRootElement(found: "Distribution"))
        #expect(error.description.contains("use GetDistributionConfig"))
    }

    @Test func anOriginWithoutIdIsRefused() throws {
        let xml = Fixtures.full.replacingOccurrences(of: "<Id>api-secondary</Id>", with: "")
        #expect(failure(xml) == .missingElement("Id", origin: 2, originId: nil))
    }

    @Test func aCustomHeaderWithoutValueIsRefusedNamingTheOrigin() throws {
        let xml = Fixtures.full.replacingOccurrences(of: "<HeaderValue>OLD-secondary-YmF6cXV4</HeaderValue>", with: "")
        let error = try #require(failure(xml))
        #expect(error == .missingElement("CustomHeaders/Items/OriginCustomHeader/HeaderValue", origin: 2, originId: "api-secondary"))
        #expect(error.description.contains("origin 'api-secondary'"))
    }

    @Test func doctypeIsRefused() throws {
        let xml = Fixtures.minimal.replacingOccurrences(
            of: "<?xml version=\"1.0\"?>\n",
            with: "<?xml version=\"1.0\"?>\n<!DOCTYPE DistributionConfig [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
        )
        guard case .malformedXML(let parseError)? = failure(xml) else {
            Issue.record("a DOCTYPE was accepted")
            return
        }
        #expect(parseError.reason == .doctypeNotAllowed)
    }
}
