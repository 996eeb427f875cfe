/// The invocation's event is not the JSON document the handler expects.
///
/// The message names the field and what is wrong with it, never the event's content (it may hold
/// secrets).
public struct LambdaEventDecodingError: LambdaReportableError, Sendable, Equatable {
    /// The Swift type the event was decoded as.
    public let eventType: String
    /// The path of the offending field, e.g. `Records[0].body`; empty for the document itself.
    public let fieldPath: String
    /// What is wrong with the field.
    public let problem: String

    public var errorType: String { "Runtime.InvalidEvent" }

    public init(eventType: String, fieldPath: String, problem: String) {
        self.eventType = eventType
        self.fieldPath = fieldPath
        self.problem = problem
    }

    public init(_ error: DecodingError, eventType: Any.Type) {
        self.eventType = String(describing: eventType)
        switch error {
        case .keyNotFound(let key, let context):
            fieldPath = Self.path(context.codingPath + [key])
            problem = "is missing"
        case .valueNotFound(let type, let context):
            fieldPath = Self.path(context.codingPath)
            problem = "is null or absent, expected \(Self.jsonKind(of: type))"
        case .typeMismatch(let type, let context):
            fieldPath = Self.path(context.codingPath)
            problem = "has the wrong type, expected \(Self.jsonKind(of: type))"
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            fieldPath = ""
            problem = "is not valid JSON"
        case .dataCorrupted(let context):
            fieldPath = Self.path(context.codingPath)
            problem = "is invalid: \(context.debugDescription)"
        @unknown default:
            fieldPath = ""
            problem = "could not be decoded"
        }
    }

    public var description: String {
        let subject = fieldPath.isEmpty ? "the event" : "field `\(fieldPath)`"
        return "Invalid \(eventType) event: \(subject) \(problem)"
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == String(index) {
                text += "[\(index)]"
            } else {
                if !text.isEmpty { text += "." }
                text += key.stringValue
            }
        }
        return text
    }

    private static func jsonKind(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type, is UInt64.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        default:
            Self.containerKind(named: String(describing: type))
        }
    }

    private static func containerKind(named name: String) -> String {
        if name.hasPrefix("Array<") || name.hasPrefix("[") { return "an array" }
        if name.hasPrefix("Dictionary<") { return "an object" }
        return "\(name) (an object)"
    }
}
