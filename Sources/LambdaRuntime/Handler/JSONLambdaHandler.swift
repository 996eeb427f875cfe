#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A Lambda function whose event and response are JSON documents.
///
/// An event that does not decode becomes a ``LambdaEventDecodingError`` naming the field at fault
/// (never its value), reported as an invocation error.
public protocol JSONLambdaHandler: LambdaHandler {
    associatedtype Event: Decodable
    associatedtype Output: Encodable

    /// Handles one decoded invocation.
    func handle(event: Event, context: LambdaContext) async throws -> Output
}

extension JSONLambdaHandler {
    public func handle(_ event: [UInt8], context: LambdaContext) async throws -> [UInt8] {
        let decoded: Event
        do {
            decoded = try JSONDecoder().decode(Event.self, from: Data(event))
        } catch let error as DecodingError {
            throw LambdaEventDecodingError(error, eventType: Event.self)
        }
        let output = try await handle(event: decoded, context: context)
        return Array(try JSONEncoder().encode(output))
    }
}
