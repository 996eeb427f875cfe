#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AWSXML
import NIOHTTP1

/// Turns an error response of any protocol KeyRotator uses into an `AWSError`.
enum AWSErrorDecoder {
    private struct JSONErrorBody: Decodable {
        var type: String?
        var code: String?
        var message: String?

        enum CodingKeys: String, CodingKey {
            case type = "__type", code, Code, message, Message, errorMessage
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            type = try? c.decodeIfPresent(String.self, forKey: .type)
            code = (try? c.decodeIfPresent(String.self, forKey: .code)) ?? (try? c.decodeIfPresent(String.self, forKey: .Code))
            message = (try? c.decodeIfPresent(String.self, forKey: .message)) ?? (try? c.decodeIfPresent(String.self, forKey: .Message))
                ?? (try? c.decodeIfPresent(String.self, forKey: .errorMessage))
        }
    }

    static func decode(_ response: AWSHTTPResponse, service: AWSService, operation: String) -> AWSError {
        var code: String?
        var message: String?
        var requestId = response.headers.first(name: "x-amzn-RequestId") ?? response.headers.first(name: "x-amz-request-id")

        // Decide by the body, not only by the protocol: in front of any service, an auth layer
        // or proxy may answer in XML (`<ErrorResponse><Errors><Error>`) or with no body at all.
        if response.body.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "<") {
            if let fields = xmlErrorFields(response.body) {
                code = fields.code
                message = fields.message
                requestId = requestId ?? fields.requestId
            }
        } else {
            code = response.headers.first(name: "x-amzn-ErrorType")
            if let body = try? JSONDecoder().decode(JSONErrorBody.self, from: Data(response.body)) {
                code = code ?? body.type ?? body.code
                message = body.message
            }
        }
        return AWSError(service: service.signingName, operation: operation, statusCode: response.statusCode,
                        code: sanitize(code) ?? fallbackCode(for: response.statusCode), message: message, requestId: requestId)
    }

    /// `aws.protocoltests#FooError:http://internal...` -> `FooError`.
    static func sanitize(_ raw: String?) -> String? {
        guard var code = raw?.trimmingWhitespace(), !code.isEmpty else { return nil }
        if let colon = code.firstIndex(of: ":") { code = String(code[..<colon]) }
        if let hash = code.lastIndex(of: "#") { code = String(code[code.index(after: hash)...]) }
        return code.isEmpty ? nil : code
    }

    /// A code for responses that carry none (e.g. a bare 403 from an IAM deny).
    static func fallbackCode(for status: Int) -> String {
        switch status {
        case 400: return "BadRequest"
        case 401, 403: return "AccessDenied"
        case 404: return "NotFound"
        case 409: return "Conflict"
        case 412: return "PreconditionFailed"
        case 429: return "Throttling"
        case 503: return "ServiceUnavailable"
        case 500...599: return "InternalFailure"
        default: return "HTTP\(status)"
        }
    }

    /// `<ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>` or a bare `<Error>`.
    static func xmlErrorFields(_ body: [UInt8]) -> (code: String?, message: String?, requestId: String?)? {
        guard !body.isEmpty, let document = try? XMLDocument(bytes: body) else { return nil }
        let root = document.root
        let error = root.name == "Error" ? root : root.child(named: "Error") ?? root.child(named: "Errors")?.child(named: "Error")
        guard let error else { return nil }
        let requestId = root.child(named: "RequestId")?.text ?? error.child(named: "RequestId")?.text
        return (error.child(named: "Code")?.text, error.child(named: "Message")?.text, requestId)
    }
}
