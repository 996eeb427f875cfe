import Foundation
import Testing
import TestSupport

/// The real `bootstrap` under the Runtime API emulator, running the `echo` handler.
@Suite("bootstrap under the Runtime API emulator", .timeLimit(.minutes(5)))
struct BootstrapEchoTests {
    private func json(_ text: String?) throws -> [String: Any] {
        let data = try #require(text?.data(using: .utf8))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("echo answers several invocations in one process, each with its own context")
    func severalInvocations() async throws {
        try await RuntimeAPIEmulator.with(handler: "echo") { lambda in
            for index in 0..<5 {
                let requestID = "request-\(index)"
                let traceID = "Root=1-5e1b4151-\(index)5ac6c58f5e4a29d1b2f0;Parent=53995c3f42cd8ad8;Sampled=1"
                let outcome = try await lambda.invoke(
                    RuntimeAPIInvocation(
                        event: Array(#"{"message":"hello \#(index)"}"#.utf8),
                        requestID: requestID,
                        timeout: .seconds(20),
                        invokedFunctionARN: "arn:aws:lambda:eu-west-1:111122223333:function:echo:live",
                        traceID: traceID,
                        clientContext: #"{"client":{"app":"tests"}}"#,
                        cognitoIdentity: #"{"cognitoIdentityId":"id-1"}"#
                    )
                )
                let body = try json(outcome.responseText)
                #expect(body["message"] as? String == "hello \(index)")
                #expect(body["requestId"] as? String == requestID)
                #expect(body["invokedFunctionArn"] as? String == "arn:aws:lambda:eu-west-1:111122223333:function:echo:live")
                #expect(body["traceId"] as? String == traceID)
                #expect(body["traceIdEnvironment"] as? String == traceID)
                #expect(body["clientContext"] as? String == #"{"client":{"app":"tests"}}"#)
                #expect(body["cognitoIdentity"] as? String == #"{"cognitoIdentityId":"id-1"}"#)
                let remaining = try #require(body["remainingTimeMs"] as? Int)
                #expect(remaining > 15_000 && remaining <= 20_000)
            }
            #expect(lambda.exitStatus == nil)
        }
    }

    @Test("_X_AMZN_TRACE_ID is cleared for an invocation without a trace id")
    func traceIDIsPerInvocation() async throws {
        try await RuntimeAPIEmulator.with(handler: "echo") { lambda in
            var traced = RuntimeAPIInvocation(json: #"{"message":"a"}"#)
            traced.traceID = "Root=1-aaaaaaaa-bbbbbbbbbbbbbbbbbbbbbbbb"
            _ = try await lambda.invoke(traced)
            let untraced = try json(try await lambda.invoke(json: #"{"message":"b"}"#).responseText)
            #expect(untraced["traceIdEnvironment"] == nil)
            #expect(untraced["traceId"] == nil)
        }
    }

    @Test("a handler error is reported as an invocation error and the process keeps serving")
    func handlerErrorKeepsServing() async throws {
        try await RuntimeAPIEmulator.with(handler: "echo") { lambda in
            let failed = try await lambda.invoke(json: #"{"message":"x","fail":"the origin said no"}"#)
            let report = try #require(failed.errorReport)
            #expect(report.errorType == "EchoRequestedFailure")
            #expect(report.errorMessage == "the origin said no")
            #expect(report.functionErrorTypeHeader == "EchoRequestedFailure")
            let next = try json(try await lambda.invoke(json: #"{"message":"still here"}"#).responseText)
            #expect(next["message"] as? String == "still here")
            #expect(lambda.standardOutput.contains("Invocation failed: the origin said no"))
        }
    }

    @Test("a malformed event is an invocation error that names the field, never its value", arguments: [
        (#"{"mesage":"s3cr3t-value"}"#, "field `message` is missing"),
        (#"{"message":42}"#, "field `message` has the wrong type, expected a string"),
        (#"{"message":"m","logs":[{"level":"info","message":"ok"},{"level":7,"message":"s3cr3t-value"}]}"#,
         "field `logs[1].level` has the wrong type, expected a string"),
        (#"{"message": "s3cr3t-value""#, "the event is not valid JSON"),
        (#"["s3cr3t-value"]"#, "the event has the wrong type"),
    ])
    func malformedEvent(event: String, expected: String) async throws {
        try await RuntimeAPIEmulator.with(handler: "echo") { lambda in
            let report = try #require(try await lambda.invoke(json: event).errorReport)
            #expect(report.errorType == "Runtime.InvalidEvent")
            let message = try #require(report.errorMessage)
            #expect(message.contains(expected), "\(message)")
            #expect(!message.contains("s3cr3t"))
            #expect(!lambda.standardOutput.contains("s3cr3t"))
            let next = try await lambda.invoke(json: #"{"message":"after"}"#)
            #expect(next.responseText?.contains("after") == true)
        }
    }

    @Test("an invocation without a usable deadline header is an invocation error")
    func malformedDeadline() async throws {
        try await RuntimeAPIEmulator.with(handler: "echo") { lambda in
            var missing = RuntimeAPIInvocation(json: #"{"message":"a"}"#)
            missing.removedHeaders = ["Lambda-Runtime-Deadline-Ms"]
            let report = try #require(try await lambda.invoke(missing).errorReport)
            #expect(report.errorType == "Runtime.InvalidInvocation")
            #expect(report.errorMessage?.contains("Lambda-Runtime-Deadline-Ms header is missing") == true)
            var garbled = RuntimeAPIInvocation(json: #"{"message":"a"}"#)
            garbled.headerOverrides = ["Lambda-Runtime-Deadline-Ms": "soon"]
            let second = try #require(try await lambda.invoke(garbled).errorReport)
            #expect(second.errorMessage?.contains("not an integer") == true)
        }
    }

    @Test("an unknown or missing _HANDLER is an init error listing the valid names", arguments: ["no-such-handler", nil] as [String?])
    func unknownHandler(handler: String?) async throws {
        try await RuntimeAPIEmulator.with(handler: handler) { lambda in
            let report = try await lambda.initError()
            #expect(report.errorType == "Runtime.NoSuchHandler")
            #expect(report.functionErrorTypeHeader == "Runtime.NoSuchHandler")
            let message = try #require(report.errorMessage)
            #expect(message.contains("one of: apikey-rotate, apikey-sweep, cloudfront-rotation, echo, origin-authorizer"), "every registered handler is listed")
            if let handler {
                #expect(message.contains("'\(handler)'"))
            } else {
                #expect(message.contains("_HANDLER is not set"))
            }
            let status = try await lambda.waitForExit()
            #expect(status != 0)
            #expect(lambda.server.nextRequestCount == 0)
        }
    }
}
