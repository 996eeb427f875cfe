import Foundation
import Hummingbird
import HummingbirdTesting
import OriginVerifier
import OriginVerifierHummingbird
import Testing
import TestSupport

/// A Hummingbird origin guarded by the middleware.
@Suite(.timeLimit(.minutes(3))) struct MiddlewareTests {
    @Test func onlyRequestsWithAValidHeaderReachTheAppAndWithoutIt() async throws {
        let value = SecretFixture.randomValue()
        try await SecretFixture.with(initial: value) { fixture in
            let router = Router()
            router.add(middleware: try OriginVerifierMiddleware(verifier: fixture.verifier()))
            router.get("/echo") { request, _ -> String in
                request.headers.map { "\($0.name.canonicalName)=\($0.value)" }.joined(separator: ";")
            }
            let app = Application(responder: router.buildResponder())
            try await app.test(.router) { client in
                try await client.execute(uri: "/echo", method: .get) { response in
                    #expect(response.status == .forbidden)
                }
                try await client.execute(uri: "/echo", method: .get, headers: [.init("X-Origin-Verify")!: "wrong"]) { response in
                    #expect(response.status == .forbidden)
                }
                try await client.execute(uri: "/echo", method: .get, headers: [.init("x-origin-verify")!: value, .init("x-other")!: "1"]) { response in
                    #expect(response.status == .ok)
                    let body = String(buffer: response.body)
                    #expect(body.contains("x-other=1"))
                    let headerReachedApp = body.contains(value) || body.lowercased().contains("x-origin-verify")
                    #expect(!headerReachedApp)
                }
            }
        }
    }
}
