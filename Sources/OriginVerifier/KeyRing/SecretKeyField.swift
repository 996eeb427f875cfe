#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads the header value out of a secret's JSON (`{"HTTP_API_KEY": "..."}`), as seed 000's rotator
/// writes it. Only a non-empty string counts.
enum SecretKeyField {
    enum Problem: Error, Equatable {
        case notJSON
        case missing
    }

    static func value(in secretString: String, keyName: String) -> Result<[UInt8], Problem> {
        let fields: [String: Field]
        do {
            fields = try JSONDecoder().decode([String: Field].self, from: Data(secretString.utf8))
        } catch {
            return .failure(.notJSON)
        }
        guard case .string(let value)? = fields[keyName], !value.isEmpty else { return .failure(.missing) }
        return .success(Array(value.utf8))
    }

    private enum Field: Decodable {
        case string(String)
        case other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let string = try? container.decode(String.self) {
                self = .string(string)
            } else {
                self = .other
            }
        }
    }
}
