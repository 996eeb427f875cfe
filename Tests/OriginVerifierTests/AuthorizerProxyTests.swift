import Foundation
import LocalEmulator
import Testing
import TestSupport

/// The real `bootstrap` honours HTTP_PROXY for its AWS calls (the authorizer reading the secret), and
/// never sends the Lambda Runtime API through it.
@Suite("bootstrap behind a proxy", .timeLimit(.minutes(10)))
struct AuthorizerProxyTests {
    @Test("the authorizer reads Secrets Manager through HTTP_PROXY; the Runtime API is reached directly")
    func authorizerThroughTheProxy() async throws {
        let value = SecretFixture.randomValue()
        try await SecretFixture.with(initial: value) { fixture in
            let motoHost = try #require(URL(string: fixture.moto.endpoint)).port.map { "127.0.0.1:\($0)" }
            try await ConnectProxy.with { proxy in
                var environment = AuthorizerEMFStagesTests.environment(fixture, ["HTTP_PROXY": proxy.url])
                environment["AWS_ENDPOINT_URL"] = fixture.moto.endpoint
                let allowed = try await RuntimeAPIEmulator.with(handler: "origin-authorizer", environment: environment) {
                    try await AuthorizerEMFStagesTests.authorized($0, value)
                }
                #expect(allowed == true)
                #expect(!proxy.tunnels.isEmpty && proxy.tunnels.allSatisfy { $0 == motoHost }, "only the AWS calls tunnel: \(proxy.tunnels)")
            }
        }
    }
}
