public import Foundation

/// One invocation the ``RuntimeAPIServer`` hands to the function through `/runtime/invocation/next`.
public struct RuntimeAPIInvocation: Sendable {
    public var requestID: String
    public var event: [UInt8]
    /// The function's timeout; the deadline header is set to delivery time plus this.
    public var timeout: Duration
    public var invokedFunctionARN: String
    public var traceID: String?
    public var clientContext: String?
    public var cognitoIdentity: String?
    /// Headers to replace or add, e.g. a malformed `Lambda-Runtime-Deadline-Ms`.
    public var headerOverrides: [String: String]
    /// Headers to leave out, e.g. `Lambda-Runtime-Deadline-Ms`.
    public var removedHeaders: Set<String>

    public init(
        event: [UInt8],
        requestID: String = UUID().uuidString.lowercased(),
        timeout: Duration = .seconds(30),
        invokedFunctionARN: String = "arn:aws:lambda:us-east-1:123456789012:function:keyrotator-test",
        traceID: String? = nil,
        clientContext: String? = nil,
        cognitoIdentity: String? = nil,
        headerOverrides: [String: String] = [:],
        removedHeaders: Set<String> = []
    ) {
        self.requestID = requestID
        self.event = event
        self.timeout = timeout
        self.invokedFunctionARN = invokedFunctionARN
        self.traceID = traceID
        self.clientContext = clientContext
        self.cognitoIdentity = cognitoIdentity
        self.headerOverrides = headerOverrides
        self.removedHeaders = removedHeaders
    }

    /// An invocation whose event is the UTF-8 of `json`.
    public init(json: String, requestID: String = UUID().uuidString.lowercased(), timeout: Duration = .seconds(30)) {
        self.init(event: Array(json.utf8), requestID: requestID, timeout: timeout)
    }

    /// The `/next` response headers, with the deadline computed now.
    func headers(nowMilliseconds: Int64) -> [(String, String)] {
        let timeoutMs = Int64(timeout / .milliseconds(1))
        var headers: [(String, String)] = [
            ("Lambda-Runtime-Aws-Request-Id", requestID),
            ("Lambda-Runtime-Deadline-Ms", String(nowMilliseconds + timeoutMs)),
            ("Lambda-Runtime-Invoked-Function-Arn", invokedFunctionARN),
        ]
        if let traceID { headers.append(("Lambda-Runtime-Trace-Id", traceID)) }
        if let clientContext { headers.append(("Lambda-Runtime-Client-Context", clientContext)) }
        if let cognitoIdentity { headers.append(("Lambda-Runtime-Cognito-Identity", cognitoIdentity)) }
        let removed = Set(removedHeaders.map { $0.lowercased() })
        headers.removeAll { removed.contains($0.0.lowercased()) || headerOverrides.keys.contains($0.0) }
        headers.append(contentsOf: headerOverrides.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        return headers
    }
}

/// What the function answered to one invocation.
public enum RuntimeAPIOutcome: Sendable, Equatable {
    /// `POST /runtime/invocation/{id}/response` with this body.
    case response([UInt8])
    /// `POST /runtime/invocation/{id}/error`.
    case error(RuntimeAPIErrorReport)

    /// The response body as UTF-8 text, or nil for an error.
    public var responseText: String? {
        if case .response(let body) = self { return String(decoding: body, as: UTF8.self) }
        return nil
    }

    /// The error report, or nil for a response.
    public var errorReport: RuntimeAPIErrorReport? {
        if case .error(let report) = self { return report }
        return nil
    }
}

/// An error the function reported, for an invocation or for its start-up.
public struct RuntimeAPIErrorReport: Sendable, Equatable, CustomStringConvertible {
    /// The body's `errorType`.
    public var errorType: String?
    /// The body's `errorMessage`.
    public var errorMessage: String?
    /// The `Lambda-Runtime-Function-Error-Type` header.
    public var functionErrorTypeHeader: String?
    /// The body as sent.
    public var body: [UInt8]

    init(body: [UInt8], functionErrorTypeHeader: String?) {
        self.body = body
        self.functionErrorTypeHeader = functionErrorTypeHeader
        let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        errorType = object?["errorType"] as? String
        errorMessage = object?["errorMessage"] as? String
    }

    public var description: String {
        "\(errorType ?? "<no errorType>"): \(errorMessage ?? "<no errorMessage>")"
    }
}
