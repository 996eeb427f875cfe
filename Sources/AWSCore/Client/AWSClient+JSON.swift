#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import NIOHTTP1
extension AWSClient {
    /// Calls an AWS JSON 1.0/1.1 operation (`POST /` with `X-Amz-Target`) and decodes its answer.
    public func json<Output: Decodable>(service: AWSService, operation: String, input: some Encodable, as output: Output.Type = Output.self) async throws -> Output {
        let body = try await jsonRaw(service: service, operation: operation, input: input)
        return try decodeJSON(Output.self, from: body, service: service, operation: operation)
    }

    /// Calls an AWS JSON operation whose answer is not needed.
    public func jsonRaw(service: AWSService, operation: String, input: some Encodable) async throws -> [UInt8] {
        guard case let .json(version, targetPrefix) = service.wireProtocol else {
            preconditionFailure("\(service.serviceId) does not speak the AWS JSON protocol")
        }
        let body = try JSONEncoder().encode(input)
        let response = try await send(service: service, operation: operation, method: .POST, path: "/", headers: [
            "Content-Type": "application/x-amz-json-\(version)",
            "X-Amz-Target": "\(targetPrefix).\(operation)",
        ], body: Array(body))
        return response.body
    }

    /// Decodes a JSON answer; a body that does not match is a clear error naming the operation.
    public func decodeJSON<Output: Decodable>(_ type: Output.Type, from body: [UInt8], service: AWSService, operation: String) throws -> Output {
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .secondsSince1970
            return try decoder.decode(Output.self, from: Data(body.isEmpty ? Array("{}".utf8) : body))
        } catch {
            throw AWSResponseDecodingError(service: service.signingName, operation: operation, reason: "\(error)")
        }
    }
}

/// A successful answer whose body did not have the expected shape.
public struct AWSResponseDecodingError: Error, Sendable, CustomStringConvertible {
    public var service: String
    public var operation: String
    public var reason: String

    public init(service: String, operation: String, reason: String) {
        self.service = service
        self.operation = operation
        self.reason = reason
    }

    public var description: String { "\(service) \(operation) answered with an unexpected body: \(reason)" }
}

extension AWSClient {
    /// Calls a REST-JSON operation (API Gateway) and decodes its answer.
    public func restJSON<Output: Decodable>(service: AWSService, operation: String, method: HTTPMethod, path: String,
                                           query: [(name: String, value: String)] = [], input: (some Encodable)? = Optional<[String: String]>.none,
                                           as output: Output.Type = Output.self, retryingAmbiguousFailures: Bool = true) async throws -> Output {
        let body = try await restJSONRaw(service: service, operation: operation, method: method, path: path, query: query, input: input,
                                         retryingAmbiguousFailures: retryingAmbiguousFailures)
        return try decodeJSON(Output.self, from: body, service: service, operation: operation)
    }

    /// Calls a REST-JSON operation whose answer is not needed.
    @discardableResult
    public func restJSONRaw(service: AWSService, operation: String, method: HTTPMethod, path: String,
                            query: [(name: String, value: String)] = [], input: (some Encodable)? = Optional<[String: String]>.none,
                            retryingAmbiguousFailures: Bool = true) async throws -> [UInt8] {
        var headers: HTTPHeaders = ["Accept": "application/json"]
        var body: [UInt8] = []
        if let input {
            body = Array(try JSONEncoder().encode(input))
            headers.add(name: "Content-Type", value: "application/json")
        }
        return try await send(service: service, operation: operation, method: method, path: path, query: query, headers: headers, body: body,
                              retryingAmbiguousFailures: retryingAmbiguousFailures).body
    }
}
