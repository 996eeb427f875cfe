import Foundation
import KeyRotation
import KeyRotationLive
import Testing
import TestSupport

/// testSecret sends the pending, the current and a wrong value in the header: a redirect must never
/// carry them to another host, and a 3xx answer proves nothing about the header.
@Suite(.timeLimit(.minutes(3))) struct OriginProbeRedirectTests {
    @Test func testSecretFailsOnARedirectAndSendsNothingElsewhere() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup)
        try await RedirectingOrigin.with { servers in
            let token = try await scenario.startRotation(kit.setup)
            let rotator = try kit.rotator(scenario, originURL: servers.endpoint)
            try await RotationTestKit.run(rotator, scenario, token: token, steps: [.createSecret, .setSecret])
            do {
                try await RotationTestKit.run(rotator, scenario, token: token, steps: [.testSecret])
                Issue.record("testSecret passed on a redirect")
            } catch let error as RotationError {
                #expect(error.code == .originTestFailed)
                #expect(error.message.contains("HTTP 302") && error.message.contains("host \(servers.elsewhereHost)"), "\(error.message)")
                #expect(!error.message.contains("collect?from"), "the message names the host, not the path")
            }
            #expect(servers.origin.requests.count == 1, "the first probe stops the step")
            // A count, never the requests: they would hold the header's value.
            let followed = servers.elsewhere.requests.count
            #expect(followed == 0, "the redirect was not followed")
        }
    }

    @Test(arguments: [
        ("https://elsewhere.example.com:8443/p?q=1", "host elsewhere.example.com:8443"),
        ("//cdn.example.net/x", "host cdn.example.net"),
        ("http://user:pw@evil.example/x", "host evil.example"),
        ("/login", "a path on the same host"),
        ("", "no Location"),
    ])
    func aRedirectIsDescribedByItsHostOnly(location: String, described: String) {
        #expect(HTTPOriginProbe.redirectTarget(location.isEmpty ? nil : location) == described)
    }
}
