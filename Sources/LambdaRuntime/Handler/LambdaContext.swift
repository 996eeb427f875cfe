public import Logging

/// What a handler knows about the invocation it is serving.
public struct LambdaContext: Sendable {
    /// The invocation's request id (`Lambda-Runtime-Aws-Request-Id`).
    public let requestID: String
    /// When the invocation times out, in milliseconds since the Unix epoch (`Lambda-Runtime-Deadline-Ms`).
    public let deadlineMilliseconds: Int64
    /// The ARN of the function, version or alias invoked (`Lambda-Runtime-Invoked-Function-Arn`).
    public let invokedFunctionARN: String
    /// The X-Ray trace header (`Lambda-Runtime-Trace-Id`), also set as `_X_AMZN_TRACE_ID`.
    public let traceID: String?
    /// The client context sent by the AWS Mobile SDK, as JSON (`Lambda-Runtime-Client-Context`).
    public let clientContext: String?
    /// The Cognito identity, as JSON (`Lambda-Runtime-Cognito-Identity`).
    public let cognitoIdentity: String?
    /// A logger whose lines carry this invocation's request id.
    public let logger: Logger

    public init(
        requestID: String,
        deadlineMilliseconds: Int64,
        invokedFunctionARN: String,
        traceID: String?,
        clientContext: String?,
        cognitoIdentity: String?,
        logger: Logger
    ) {
        self.requestID = requestID
        self.deadlineMilliseconds = deadlineMilliseconds
        self.invokedFunctionARN = invokedFunctionARN
        self.traceID = traceID
        self.clientContext = clientContext
        self.cognitoIdentity = cognitoIdentity
        self.logger = logger
    }

    /// The time left before the invocation times out; negative once it has.
    public var remainingTime: Duration {
        .milliseconds(deadlineMilliseconds - WallClock.nowMilliseconds())
    }
}
