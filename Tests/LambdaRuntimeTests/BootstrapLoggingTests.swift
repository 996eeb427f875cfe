import Foundation
import Testing
import TestSupport

/// `AWS_LAMBDA_LOG_FORMAT` and `AWS_LAMBDA_LOG_LEVEL` as the running `bootstrap` applies them.
@Suite("bootstrap logging", .timeLimit(.minutes(5)))
struct BootstrapLoggingTests {
    private static let event = #"""
        {"message":"m","logs":[{"level":"debug","message":"line at debug"},{"level":"info","message":"line at info"},
        {"level":"warning","message":"line with \"quotes\"\nand a newline"},{"level":"error","message":"line at error"}]}
        """#

    @Test("JSON format: one object per line with level, timestamp, message and requestId")
    func jsonFormat() async throws {
        try await RuntimeAPIEmulator.with(
            handler: "echo",
            environment: ["AWS_LAMBDA_LOG_FORMAT": "JSON", "AWS_LAMBDA_LOG_LEVEL": "DEBUG"]
        ) { lambda in
            let invocation = RuntimeAPIInvocation(json: Self.event, requestID: "json-request-1")
            _ = try await lambda.invoke(invocation)
            let objects = try lambda.standardOutputLines.map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
            }
            let handlerLines = objects.filter { $0["requestId"] as? String == "json-request-1" }
            #expect(handlerLines.map { $0["level"] as? String } == ["DEBUG", "INFO", "WARN", "ERROR"])
            #expect(handlerLines[2]["message"] as? String == "line with \"quotes\"\nand a newline")
            for line in handlerLines {
                let timestamp = try #require(line["timestamp"] as? String)
                #expect(ISO8601DateFormatter.withFractionalSeconds.date(from: timestamp) != nil, "\(timestamp)")
            }
        }
    }

    @Test("the log level drops lower levels", arguments: [("WARN", ["WARN", "ERROR"]), ("ERROR", ["ERROR"]), ("", ["INFO", "WARN", "ERROR"])])
    func logLevel(level: String, expected: [String]) async throws {
        try await RuntimeAPIEmulator.with(
            handler: "echo",
            environment: ["AWS_LAMBDA_LOG_FORMAT": "JSON", "AWS_LAMBDA_LOG_LEVEL": level]
        ) { lambda in
            _ = try await lambda.invoke(RuntimeAPIInvocation(json: Self.event, requestID: "level-request"))
            let levels = try lambda.standardOutputLines.compactMap { line -> String? in
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                return object["requestId"] as? String == "level-request" ? object["level"] as? String : nil
            }
            #expect(levels == expected)
        }
    }

    @Test("Text format: timestamp, level, request id and message on one line")
    func textFormat() async throws {
        try await RuntimeAPIEmulator.with(handler: "echo", environment: ["AWS_LAMBDA_LOG_FORMAT": "Text"]) { lambda in
            _ = try await lambda.invoke(RuntimeAPIInvocation(json: #"{"message":"m","logs":[{"level":"info","message":"plain line"}]}"#, requestID: "text-request"))
            let line = try #require(lambda.standardOutputLines.first { $0.contains("plain line") })
            let fields = line.split(separator: " ", maxSplits: 3).map(String.init)
            #expect(fields.count == 4)
            #expect(ISO8601DateFormatter.withFractionalSeconds.date(from: fields[0]) != nil, "\(line)")
            #expect(Array(fields.dropFirst()) == ["INFO", "text-request", "plain line"])
        }
    }
}

extension ISO8601DateFormatter {
    fileprivate static var withFractionalSeconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
