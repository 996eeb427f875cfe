import NIOCore
public import NIOHTTP1

extension FaultProxy {
    /// What the proxy does with one request.
    public enum Action: Sendable {
        /// Pass it to the upstream and relay the answer.
        case forward
        /// Answer without contacting the upstream.
        case respond(Response)
        /// Close the connection with a TCP reset, without answering.
        case resetConnection
        /// Forward to the upstream, then reset the connection instead of answering: the change
        /// happened, and the caller never learns it.
        case forwardThenReset
        /// Wait, then forward.
        case delay(Duration)
        /// Never answer; the connection stays open until the client or `shutdown()` closes it.
        case timeout
        /// Forward, then relay what the closure makes of the upstream's answer.
        case forwardThenTransform(@Sendable (Response) -> Response)
        /// Run async work first (e.g. a concurrent edit made by "someone else"), then do what it returns.
        case run(@Sendable (Request) async -> Action)

        /// Answer with `status`, `headers` and `body`.
        public static func respond(status: HTTPResponseStatus, headers: HTTPHeaders = [:], body: String = "") -> Action {
            .respond(Response(status: status, headers: headers, bodyString: body))
        }

        /// 503 with an AWS-style `ServiceUnavailable` error in `wireProtocol`'s shape.
        public static func serviceUnavailable(_ wireProtocol: WireProtocol) -> Action {
            awsError(.serviceUnavailable, code: "ServiceUnavailable", message: "Service is unavailable, retry", wireProtocol)
        }

        /// The throttling error each AWS protocol answers with when a rate limit is hit:
        /// 400 `ThrottlingException` (JSON), 400 `Throttling` (XML), 429 `TooManyRequestsException` (REST-JSON).
        public static func throttling(_ wireProtocol: WireProtocol) -> Action {
            switch wireProtocol {
            case .json: awsError(.badRequest, code: "ThrottlingException", message: "Rate exceeded", wireProtocol)
            case .xml: awsError(.badRequest, code: "Throttling", message: "Rate exceeded", wireProtocol)
            case .restJSON: awsError(.tooManyRequests, code: "TooManyRequestsException", message: "Too Many Requests", wireProtocol)
            }
        }

        /// An AWS error in `wireProtocol`'s shape: JSON `{"__type", "message"}` with `x-amzn-ErrorType`,
        /// or XML `<ErrorResponse><Error><Code>`.
        public static func awsError(
            _ status: HTTPResponseStatus, code: String, message: String, _ wireProtocol: WireProtocol
        ) -> Action {
            switch wireProtocol {
            case .json, .restJSON:
                let headers: HTTPHeaders = [
                    "Content-Type": wireProtocol == .json ? "application/x-amz-json-1.1" : "application/json",
                    "x-amzn-ErrorType": code,
                    "x-amzn-RequestId": "fault-proxy",
                ]
                return .respond(status: status, headers: headers, body: #"{"__type":"\#(code)","message":"\#(message)"}"#)
            case .xml:
                let body = "<?xml version=\"1.0\"?><ErrorResponse><Error><Type>Sender</Type><Code>\(code)</Code>"
                    + "<Message>\(message)</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>"
                return .respond(status: status, headers: ["Content-Type": "text/xml", "x-amzn-RequestId": "fault-proxy"], body: body)
            }
        }
    }

    /// How an AWS service encodes its errors.
    public enum WireProtocol: Sendable, Equatable {
        /// awsJson1.0/1.1: Secrets Manager, DynamoDB, SQS.
        case json
        /// rest-xml and query: CloudFront, IAM.
        case xml
        /// rest-json: API Gateway.
        case restJSON
    }
}

/// What a `FaultProxy` does with one request.
public typealias FaultAction = FaultProxy.Action
