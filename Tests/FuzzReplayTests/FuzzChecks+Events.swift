#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(KeyRotation)
import KeyRotation
#endif
#if canImport(OriginVerifier)
import OriginVerifier
#endif
#if canImport(APIKeyRotation)
import APIKeyRotation
#endif

extension FuzzChecks {
    /// The event decoders: any bytes decode or are refused with an error; what decodes is valid.
    static func events(_ bytes: [UInt8]) throws {
        let data = Data(bytes)
        if let event = try? JSONDecoder().decode(RotationEvent.self, from: data) {
            guard !event.secretId.isEmpty, !event.clientRequestToken.isEmpty else { throw FuzzCheckFailure("a rotation event decoded with an empty id") }
        }
        if let work = try? JSONDecoder().decode(WorkItem.self, from: data) {
            guard (try? JSONDecoder().decode(WorkItem.self, from: JSONEncoder().encode(work))) == work else {
                throw FuzzCheckFailure("a work item does not survive its own encoding")
            }
        }
        for header in ["x-origin-verify", "Authorization"] {
            _ = try? AuthorizerEvent.parse(bytes, headerName: header)
        }
    }
}
