#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
/// A DynamoDB attribute value, in the service's JSON form (`{"S": "..."}`, `{"N": "1"}`, ...).
public indirect enum DynamoDBValue: Codable, Sendable, Equatable {
    case string(String)
    /// Numbers travel as strings to keep their exact precision.
    case number(String)
    case binary([UInt8])
    case bool(Bool)
    case null
    case map([String: DynamoDBValue])
    case list([DynamoDBValue])
    case stringSet([String])
    case numberSet([String])

    private enum Key: String, CodingKey { case S, N, B, BOOL, NULL, M, L, SS, NS }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        guard let key = c.allKeys.first, c.allKeys.count == 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "an attribute value has exactly one type key"))
        }
        switch key {
        case .S: self = .string(try c.decode(String.self, forKey: key))
        case .N: self = .number(try c.decode(String.self, forKey: key))
        case .B:
            guard let data = Data(base64Encoded: try c.decode(String.self, forKey: key)) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "B is not base64")
            }
            self = .binary(Array(data))
        case .BOOL: self = .bool(try c.decode(Bool.self, forKey: key))
        case .NULL: self = .null
        case .M: self = .map(try c.decode([String: DynamoDBValue].self, forKey: key))
        case .L: self = .list(try c.decode([DynamoDBValue].self, forKey: key))
        case .SS: self = .stringSet(try c.decode([String].self, forKey: key))
        case .NS: self = .numberSet(try c.decode([String].self, forKey: key))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case let .string(v): try c.encode(v, forKey: .S)
        case let .number(v): try c.encode(v, forKey: .N)
        case let .binary(v): try c.encode(Data(v).base64EncodedString(), forKey: .B)
        case let .bool(v): try c.encode(v, forKey: .BOOL)
        case .null: try c.encode(true, forKey: .NULL)
        case let .map(v): try c.encode(v, forKey: .M)
        case let .list(v): try c.encode(v, forKey: .L)
        case let .stringSet(v): try c.encode(v, forKey: .SS)
        case let .numberSet(v): try c.encode(v, forKey: .NS)
        }
    }

    public var stringValue: String? { if case let .string(v) = self { v } else { nil } }
    public var numberValue: String? { if case let .number(v) = self { v } else { nil } }
    public var boolValue: Bool? { if case let .bool(v) = self { v } else { nil } }
    public var stringSetValue: [String]? { if case let .stringSet(v) = self { v } else { nil } }

    public static func number(_ value: Int) -> DynamoDBValue { .number(String(value)) }
}

/// An item: attribute name -> value.
public typealias DynamoDBItem = [String: DynamoDBValue]
