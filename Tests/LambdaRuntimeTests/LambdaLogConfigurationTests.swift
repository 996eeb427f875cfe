#if canImport(Glibc)
import Glibc
#endif
@testable import LambdaRuntime
import Logging
import Testing

@Suite("log configuration and rendering")
struct LambdaLogConfigurationTests {
    @Test("reads AWS_LAMBDA_LOG_FORMAT and AWS_LAMBDA_LOG_LEVEL case-insensitively")
    func readsEnvironment() {
        let configuration = LambdaLogConfiguration(environment: ["AWS_LAMBDA_LOG_FORMAT": "json", "AWS_LAMBDA_LOG_LEVEL": "warn"])
        #expect(configuration == LambdaLogConfiguration(format: .json, level: .warning))
        #expect(LambdaLogConfiguration(environment: [:]) == LambdaLogConfiguration(format: .text, level: .info))
    }

    @Test("an unknown value falls back to the default with a warning that names the variable")
    func unknownValues() {
        let configuration = LambdaLogConfiguration(environment: ["AWS_LAMBDA_LOG_FORMAT": "XML", "AWS_LAMBDA_LOG_LEVEL": "LOUD"])
        #expect(configuration.format == .text)
        #expect(configuration.level == .info)
        #expect(configuration.warnings.count == 2)
        #expect(configuration.warnings.contains { $0.hasPrefix("AWS_LAMBDA_LOG_FORMAT") })
        #expect(configuration.warnings.contains { $0.hasPrefix("AWS_LAMBDA_LOG_LEVEL") })
    }

    @Test("JSON lines escape control characters and keep metadata as fields")
    func jsonRendering() {
        let line = LambdaLogHandler.render(
            format: .json,
            timestamp: "2026-01-02T03:04:05.006Z",
            level: .critical,
            message: "tab\there \u{01} \"q\" \\",
            metadata: ["requestId": "r-1", "fingerprint": "ab12cd34", "level": "spoofed", "list": [.string("a"), .string("b")]]
        )
        #expect(
            line == #"{"timestamp":"2026-01-02T03:04:05.006Z","level":"FATAL","message":"tab\there \u0001 \"q\" \\","requestId":"r-1","fingerprint":"ab12cd34","list":["a","b"]}"#
        )
    }

    @Test("Text lines put a dash where there is no request id")
    func textRendering() {
        let line = LambdaLogHandler.render(
            format: .text, timestamp: "T", level: .warning, message: "m", metadata: ["b": "2", "a": "1"]
        )
        #expect(line == "T WARN - m a=1 b=2")
    }

    @Test("timestamps are ISO 8601 UTC with milliseconds")
    func timestamp() {
        var time = timespec()
        time.tv_sec = 1_767_225_600 + 3_661
        time.tv_nsec = 7_000_000
        #expect(WallClock.iso8601(time) == "2026-01-01T01:01:01.007Z")
    }
}
