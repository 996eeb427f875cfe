import AWSCore

/// A secret's JSON object (`{"HTTP_API_KEY": "..."}`) with every other key kept as it was.
public struct SecretDocument: Sendable, Equatable {
    private var fields: [String: JSONValue]

    public init() { fields = [:] }

    /// Parses a `SecretString`. Throws when it is not a JSON object.
    public init(secretString: String, secretId: String) throws(RotationError) {
        do {
            fields = try JSONDecoder().decode([String: JSONValue].self, from: Data(secretString.utf8))
        } catch {
            throw RotationError(.invalidSecret, "Secret \(secretId) does not hold a JSON object; KeyRotator stores {\"<SECRET_KEY_NAME>\": \"<value>\"}.")
        }
    }

    /// The string under `key`, if it is a string.
    public func value(forKey key: String) -> String? {
        if case let .string(value) = fields[key] { return value }
        return nil
    }

    public mutating func setValue(_ value: String, forKey key: String) { fields[key] = .string(value) }

    /// The JSON text, keys sorted so that equal documents serialize alike.
    public var secretString: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(fields), as: UTF8.self)) ?? "{}"
    }
}

/// Any JSON value, to carry keys KeyRotator does not own through unchanged.
indirect enum JSONValue: Codable, Sendable, Equatable {
    case string(String), number(Double), bool(Bool), null, array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let v = try? c.decode(Bool.self) { self = .bool(v) }
        else if let v = try? c.decode(Double.self) { self = .number(v) }
        else if let v = try? c.decode(String.self) { self = .string(v) }
        else if let v = try? c.decode([JSONValue].self) { self = .array(v) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case let .string(v): try c.encode(v)
        case let .number(v): if v.rounded() == v && abs(v) < 1e15 { try c.encode(Int64(v)) } else { try c.encode(v) }
        case let .bool(v): try c.encode(v)
        case .null: try c.encodeNil()
        case let .array(v): try c.encode(v)
        case let .object(v): try c.encode(v)
        }
    }
}
