import AWSCore
@testable import AWSServices
import AWSXML
import Foundation
import Testing
import TestSupport

/// CloudFront through our client against moto with authentication on.
@Suite(.timeLimit(.minutes(5))) struct CloudFrontIntegrationTests {
    @Test func aConfigurationReadIsWrittenBackAndOnlyTheHeaderChanges() async throws {
        let moto = try await MotoServer.shared()
        let cloudFront = CloudFrontClient(client: moto.client())
        let id = try await CloudFrontFixtures.createDistribution(cloudFront, origins: [
            .init(id: "api", domainName: "api.internal.example.com", headers: [("x-origin-verify", "old-value"), ("X-Other", "keep")]),
            .init(id: "static", domainName: "static.internal.example.com", headers: [("X-Origin-Verify", "old-value")]),
        ])
        let (config, etag) = try await cloudFront.getDistributionConfig(id: id)
        #expect(config.origins.map(\.id) == ["api", "static"])
        #expect(config.origins(carryingHeader: "x-origin-verify") == ["api", "static"])

        var edited = config
        #expect(edited.setCustomHeader(named: "x-origin-verify", to: "new-value") == ["api", "static"])
        let updated = try await cloudFront.updateDistribution(id: id, config: edited, ifMatch: etag)
        #expect(updated.id == id)

        let (reread, _) = try await cloudFront.getDistributionConfig(id: id)
        #expect(reread.origins.flatMap(\.customHeaders).map(\.value) == ["new-value", "keep", "new-value"])
        // Everything but the header values is as it was.
        var expected = reread
        _ = expected.setCustomHeader(named: "x-origin-verify", to: "old-value")
        #expect(expected.xmlBytes == config.xmlBytes)
    }

    @Test func statusAndListing() async throws {
        let moto = try await MotoServer.shared()
        let cloudFront = CloudFrontClient(client: moto.client())
        let id = try await CloudFrontFixtures.createDistribution(cloudFront, origins: [.init(id: "o", domainName: "o.example.com", headers: [("x-origin-verify", "v")])], everyOptionalBlock: false)
        let distribution = try await cloudFront.getDistribution(id: id)
        #expect(["InProgress", "Deployed"].contains(distribution.status))
        #expect(distribution.etag != nil)
        let listed = try await cloudFront.listDistributions().collect().flatMap { $0 }
        // moto 5.2.1 leaves Origins out of its summaries, so only the id is checked here.
        #expect(listed.contains { $0.id == id })
    }

    @Test func anUnknownDistributionIsNoSuchDistribution() async throws {
        let moto = try await MotoServer.shared()
        await #expect {
            _ = try await CloudFrontClient(client: moto.client()).getDistributionConfig(id: "EDOESNOTEXIST")
        } throws: { error in
            let e = error as? AWSError
            return e?.code == "NoSuchDistribution" && e?.statusCode == 404
        }
    }
}
