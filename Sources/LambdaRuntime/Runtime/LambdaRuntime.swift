#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
public import Logging

/// The Lambda Runtime API loop: builds the handler once, then serves invocations until Lambda
/// discards the process.
///
/// Handler errors and malformed events are reported as invocation errors and the loop goes on;
/// a failing handler factory is reported through `/runtime/init/error`.
public struct LambdaRuntime: Sendable {
    /// Builds the handler at start-up; its error is reported as an init error.
    public typealias HandlerFactory = @Sendable (LambdaInitContext) async throws -> any LambdaHandler

    private let environment: [String: String]
    private let logger: Logger

    /// - Parameters:
    ///   - environment: the process environment; `AWS_LAMBDA_RUNTIME_API` must be `host:port`.
    ///   - logger: the runtime's own logger; invocation loggers derive from it.
    public init(environment: [String: String], logger: Logger) {
        self.environment = environment
        self.logger = logger
    }

    /// Runs start-up and the invocation loop; returns only when the Runtime API cannot be used
    /// (the error says why) or after an init error was reported (then it rethrows that error).
    public func run(makeHandler: HandlerFactory) async throws {
        guard let endpoint = environment["AWS_LAMBDA_RUNTIME_API"], !endpoint.isEmpty else {
            throw RuntimeAPIError.missingEndpoint
        }
        let client = try RuntimeAPIClient(endpoint: endpoint)
        let handler: any LambdaHandler
        do {
            handler = try await makeHandler(LambdaInitContext(environment: environment, logger: logger))
        } catch {
            let report = Self.report(for: error)
            logger.error("Start-up failed: \(report.message)", metadata: ["errorType": "\(report.type)"])
            try await client.reportInitError(errorType: report.type, message: report.message)
            throw error
        }
        while true {
            try await serveOne(client: client, handler: handler)
        }
    }

    private func serveOne(client: RuntimeAPIClient, handler: any LambdaHandler) async throws {
        let invocation: Invocation
        do {
            invocation = try await client.next()
        } catch let error as InvalidInvocationError {
            logger.error("\(error.description)", metadata: ["requestId": "\(error.requestID)"])
            try await answer(requestID: error.requestID) {
                try await client.reportError(requestID: error.requestID, errorType: error.errorType, message: error.description)
            }
            return
        }
        if let traceID = invocation.traceID {
            setenv("_X_AMZN_TRACE_ID", traceID, 1)
        } else {
            unsetenv("_X_AMZN_TRACE_ID")
        }
        var invocationLogger = logger
        invocationLogger[metadataKey: "requestId"] = "\(invocation.requestID)"
        let context = LambdaContext(
            requestID: invocation.requestID,
            deadlineMilliseconds: invocation.deadlineMilliseconds,
            invokedFunctionARN: invocation.invokedFunctionARN,
            traceID: invocation.traceID,
            clientContext: invocation.clientContext,
            cognitoIdentity: invocation.cognitoIdentity,
            logger: invocationLogger
        )
        let output: [UInt8]
        do {
            output = try await handler.handle(invocation.event, context: context)
        } catch {
            let report = Self.report(for: error)
            invocationLogger.error("Invocation failed: \(report.message)", metadata: ["errorType": "\(report.type)"])
            try await answer(requestID: invocation.requestID) {
                try await client.reportError(requestID: invocation.requestID, errorType: report.type, message: report.message)
            }
            return
        }
        try await answer(requestID: invocation.requestID) {
            try await client.respond(requestID: invocation.requestID, body: output)
        }
    }

    /// Sends an invocation's outcome. A refusal (e.g. 413 for a response over Lambda's size limit)
    /// ends that invocation, not the process; only an unreachable Runtime API does.
    private func answer(requestID: String, _ send: () async throws -> Void) async throws {
        do {
            try await send()
        } catch RuntimeAPIError.unexpectedStatus(let path, let status) {
            logger.error(
                "The Runtime API refused the invocation's outcome",
                metadata: ["requestId": "\(requestID)", "path": "\(path)", "status": "\(status)"]
            )
        }
    }

    /// The `errorType` and `errorMessage` reported for an error.
    static func report(for error: any Error) -> (type: String, message: String) {
        if let reportable = error as? any LambdaReportableError {
            return (reportable.errorType, reportable.description)
        }
        return (String(describing: type(of: error)), String(describing: error))
    }
}
