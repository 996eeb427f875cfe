#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An error answered by an AWS service, decoded from whichever protocol the service speaks.
public struct AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The signing name of the service, e.g. `secretsmanager`.
    public var service: String
    /// The operation that failed, e.g. `GetSecretValue`.
    public var operation: String
    /// The HTTP status code of the response.
    public var statusCode: Int
    /// The AWS error code without any namespace prefix, e.g. `ResourceNotFoundException`.
    public var code: String
    /// The service's message, if it sent one.
    public var message: String?
    /// The request id the service assigned (`x-amzn-RequestId` or the body's `RequestId`).
    public var requestId: String?

    public init(service: String, operation: String, statusCode: Int, code: String, message: String?, requestId: String?) {
        self.service = service
        self.operation = operation
        self.statusCode = statusCode
        self.code = code
        self.message = message
        self.requestId = requestId
    }

    public var description: String {
        var text = "\(service) \(operation) failed: \(code) (HTTP \(statusCode))"
        if let message, !message.isEmpty { text += ": \(message)" }
        if let requestId { text += " [request id \(requestId)]" }
        return text
    }
}
