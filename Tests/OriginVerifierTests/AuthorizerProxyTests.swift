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
        let fixture = try await SecretFixture.make(initial: value)
        let motoHost = try #require(URL(string: fixture.moto.endpoint)).port.map { "127.0.0.1:\($0)" }
        do {
            try await ConnectProxy.with { proxy in
                var environment = AuthorizerEMFStagesTests.environment(fixture, ["HTTP_PROXY": proxy.url])
                environment["AWS_ENDPOINT_URL"] = fixture.moto.endpoint
                let lambda = try await RuntimeAPIEmulator.start(handler: "origin-authorizer", environment: environment)
                let allowed = try await AuthorizerEMFStagesTests.authorized(lambda, value)
                await lambda.stop()
                #expect(allowed == true)
                #expect(!proxy.tunnels.isEmpty && proxy.tunnels.allSatisfy { $0 == motoHost }, "only the AWS calls tunnel: \(proxy.tunnels)")
            }
        } catch {
            try await fixture.shutdown()
            throw error
        }
        try await fixture.shutdown()
    }
}
