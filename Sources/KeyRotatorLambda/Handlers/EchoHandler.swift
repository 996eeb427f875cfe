#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import LambdaRuntime
import Logging

/// `echo`: answers the event's message with what the handler saw of its invocation; a smoke test of a
/// deployed function and of the runtime loop (logs, errors, context).
struct EchoHandler: JSONLambdaHandler {
    struct Event: Decodable, Sendable {
        /// Sent back in the response.
        var message: String
        /// When set, the invocation fails with this message.
        var fail: String?
        /// Log lines to write, e.g. `{"level": "debug", "message": "hello"}`.
        var logs: [LogLine]?
    }

    struct LogLine: Decodable, Sendable {
        var level: String
        var message: String
    }

    struct Output: Encodable, Sendable {
        var message: String
        var requestId: String
        var invokedFunctionArn: String
        var remainingTimeMs: Int64
        var traceId: String?
        /// `_X_AMZN_TRACE_ID` as the handler saw it.
        var traceIdEnvironment: String?
        var clientContext: String?
        var cognitoIdentity: String?
    }

    struct RequestedFailure: LambdaReportableError, Sendable {
        var message: String
        var errorType: String { "EchoRequestedFailure" }
        var description: String { message }
    }

    func handle(event: Event, context: LambdaContext) async throws -> Output {
        for line in event.logs ?? [] {
            let level = Logger.Level(rawValue: line.level.lowercased()) ?? .info
            context.logger.log(level: level, "\(line.message)")
        }
        if let failure = event.fail {
            throw RequestedFailure(message: failure)
        }
        return Output(
            message: event.message,
            requestId: context.requestID,
            invokedFunctionArn: context.invokedFunctionARN,
            remainingTimeMs: Int64(context.remainingTime / .milliseconds(1)),
            traceId: context.traceID,
            traceIdEnvironment: getenv("_X_AMZN_TRACE_ID").map { String(cString: $0) },
            clientContext: context.clientContext,
            cognitoIdentity: context.cognitoIdentity
        )
    }
}
