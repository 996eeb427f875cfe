import NIOHTTP1
/// One invocation as `GET /runtime/invocation/next` delivered it.
struct Invocation: Sendable {
    var requestID: String
    var deadlineMilliseconds: Int64
    var invokedFunctionARN: String
    var traceID: String?
    var clientContext: String?
    var cognitoIdentity: String?
    var event: [UInt8]

    /// Reads the `Lambda-Runtime-*` headers (names compared case-insensitively).
    ///
    /// - Throws: ``RuntimeAPIError/missingRequestID`` when there is no request id to answer to, and
    ///   ``InvalidInvocationError`` when another required header is missing or malformed (the
    ///   invocation can still be answered with an error).
    static func parse(headers: HTTPHeaders, event: [UInt8]) throws -> Invocation {
        func header(_ name: String) -> String? { headers.first(name: name) }
        guard let requestID = header("Lambda-Runtime-Aws-Request-Id"), !requestID.isEmpty else {
            throw RuntimeAPIError.missingRequestID
        }
        guard let rawDeadline = header("Lambda-Runtime-Deadline-Ms") else {
            throw InvalidInvocationError(requestID: requestID, problem: "the Lambda-Runtime-Deadline-Ms header is missing")
        }
        // The HTTP parser has already removed the optional whitespace around a header value.
        guard let deadline = Int64(rawDeadline) else {
            throw InvalidInvocationError(
                requestID: requestID,
                problem: "the Lambda-Runtime-Deadline-Ms header is not an integer number of milliseconds"
            )
        }
        return Invocation(
            requestID: requestID,
            deadlineMilliseconds: deadline,
            invokedFunctionARN: header("Lambda-Runtime-Invoked-Function-Arn") ?? "",
            traceID: header("Lambda-Runtime-Trace-Id").flatMap { $0.isEmpty ? nil : $0 },
            clientContext: header("Lambda-Runtime-Client-Context").flatMap { $0.isEmpty ? nil : $0 },
            cognitoIdentity: header("Lambda-Runtime-Cognito-Identity").flatMap { $0.isEmpty ? nil : $0 },
            event: event
        )
    }
}

/// The Runtime API delivered an invocation the runtime cannot hand to the handler.
struct InvalidInvocationError: LambdaReportableError, Sendable {
    var requestID: String
    var problem: String
    var errorType: String { "Runtime.InvalidInvocation" }
    var description: String { "Invalid invocation from the Runtime API: \(problem)" }
}
