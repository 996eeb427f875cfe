import AWSServices
import Foundation
@testable import OriginVerifier
import Testing
import TestSupport

/// API Gateway authorizer events in, authorizer responses out.
@Suite(.timeLimit(.minutes(5))) struct AuthorizerEventTests {
    private func parse(_ json: String, header: String = "x-origin-verify") throws -> AuthorizerEvent {
        try AuthorizerEvent.parse(Array(json.utf8), headerName: header)
    }

    @Test func httpAPIPayload2() throws {
        let event = try parse("""
        {"version":"2.0","type":"REQUEST","routeArn":"arn:aws:execute-api:us-east-1:123456789012:abcdef123/prod/GET/pets",
         "identitySource":["v"],"routeKey":"GET /pets","headers":{"x-origin-verify":"v","host":"api"},"requestContext":{"http":{"method":"GET"}}}
        """)
        #expect(event == AuthorizerEvent(kind: .httpAPIv2, headerValue: "v",
                                         methodArn: "arn:aws:execute-api:us-east-1:123456789012:abcdef123/prod/GET/pets"))
    }

    @Test func restRequestAuthorizerWithTheClientsHeaderCase() throws {
        let event = try parse("""
        {"type":"REQUEST","methodArn":"arn:aws:execute-api:eu-west-1:123456789012:a1b2c3/live/POST/orders/1",
         "resource":"/orders/{id}","path":"/orders/1","httpMethod":"POST","headers":{"X-Origin-Verify":"v","Accept":"*/*"},
         "multiValueHeaders":{"X-Origin-Verify":["v"]},"queryStringParameters":null,"pathParameters":{"id":"1"}}
        """)
        #expect(event.kind == .restRequest && event.headerValue == "v")
        #expect(try parse(#"{"type":"REQUEST","methodArn":"arn:x","headers":null}"#).headerValue == nil)
        #expect(try parse(#"{"version":"1.0","type":"REQUEST","methodArn":"arn:x","headers":{"x-origin-verify":"w"}}"#)
            == AuthorizerEvent(kind: .restRequest, headerValue: "w", methodArn: "arn:x"))
    }

    @Test func restTokenAuthorizer() throws {
        let event = try parse(#"{"type":"TOKEN","authorizationToken":"tok","methodArn":"arn:x"}"#)
        #expect(event == AuthorizerEvent(kind: .restToken, headerValue: "tok", methodArn: "arn:x"))
    }

    @Test func somethingElseIsAnError() {
        for body in ["", "[]", #"{"type":"REQUEST"}"#, #"{"Records":[]}"#, "not json"] {
            #expect(throws: AuthorizerEventError.self, "\(body)") { try parse(body) }
        }
    }

    private func object(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func simpleResponsesForHTTPAPIs() throws {
        let event = AuthorizerEvent(kind: .httpAPIv2, headerValue: "v", methodArn: "arn:x")
        let allowed = try object(AuthorizerResponse.json(for: .allowed(.previous), event: event, principalId: "p"))
        #expect(allowed["isAuthorized"] as? Bool == true)
        #expect((allowed["context"] as? [String: String])?["originKeyStage"] == "AWSPREVIOUS")
        let denied = try object(AuthorizerResponse.json(for: .denied(.unknownValue), event: event, principalId: "p"))
        #expect(denied["isAuthorized"] as? Bool == false && denied["context"] == nil)
    }

    @Test func iamPoliciesForRESTAndOnRequest() throws {
        let arn = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3/live/POST/orders/1"
        for (event, format) in [(AuthorizerEvent(kind: .restRequest, headerValue: "v", methodArn: arn), AuthorizerResponse.HTTPAPIFormat.simple),
                                (AuthorizerEvent(kind: .httpAPIv2, headerValue: "v", methodArn: arn), .iamPolicy)] {
            for decision in [Decision.allowed(.current), .denied(.missingHeader)] {
                let response = try object(AuthorizerResponse.json(for: decision, event: event, principalId: "edge", httpAPIFormat: format))
                #expect(response["principalId"] as? String == "edge")
                let document = try #require(response["policyDocument"] as? [String: Any])
                #expect(document["Version"] as? String == "2012-10-17")
                let statement = try #require((document["Statement"] as? [[String: Any]])?.first)
                #expect(statement["Action"] as? String == "execute-api:Invoke")
                #expect(statement["Effect"] as? String == (decision.isAllowed ? "Allow" : "Deny"))
                #expect(statement["Resource"] as? String == "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3/live/*")
            }
        }
        #expect(AuthorizerResponse.policyResource(for: "not-an-arn") == "not-an-arn")
        #expect(AuthorizerResponse.policyResource(for: nil) == "*")
    }

    @Test func theAuthorizerAnswersEventsAgainstTheSecret() async throws {
        let value = SecretFixture.randomValue()
        try await SecretFixture.with(initial: value) { fixture in
            let authorizer = OriginAuthorizer(verifier: fixture.verifier())
            func answer(_ header: String) async throws -> Bool? {
                let event = #"{"version":"2.0","type":"REQUEST","routeArn":"arn:x","headers":{"x-origin-verify":"\#(header)"}}"#
                return try object(await authorizer.handle(event: Array(event.utf8)))["isAuthorized"] as? Bool
            }
            #expect(try await answer(value) == true)
            #expect(try await answer("wrong") == false)
            let rest = #"{"type":"REQUEST","methodArn":"arn:aws:execute-api:us-east-1:1:api/prod/GET/","headers":{"X-ORIGIN-VERIFY":"\#(value)"}}"#
            let policy = try object(await authorizer.handle(event: Array(rest.utf8)))
            let statement = (policy["policyDocument"] as? [String: Any]).flatMap { ($0["Statement"] as? [[String: Any]])?.first }
            #expect(statement?["Effect"] as? String == "Allow")
        }
    }
}
