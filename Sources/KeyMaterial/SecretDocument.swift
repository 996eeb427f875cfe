/// A secret's JSON object (`{"HTTP_API_KEY": "...", ...}`) edited in place: reading a key decodes
/// only what it needs, and setting one key's value splices new text into the original, so every
/// other member keeps its literal JSON text (numbers exactly as written, escapes, whitespace,
/// order). The rotator, the verifier and the CLI all read the secret through this one type.
///
/// The whole text is validated as RFC 8259 JSON on parsing; the top level must be an object.
/// Errors say where the text stopped being JSON, never what it holds.
public struct SecretDocument: Sendable, Equatable {
    /// The JSON text, as parsed and then edited.
    public private(set) var secretString: String
    private var members: [Member]
    /// The byte offset of the object's closing brace.
    private var closingBrace: Int

    /// One top-level member: its decoded name, where its value's text is, and the value decoded
    /// when it is a string.
    struct Member: Sendable, Equatable {
        var key: String
        var valueStart: Int
        var valueEnd: Int
        var string: String?
    }

    /// An empty object, `{}`.
    public init() {
        secretString = "{}"
        members = []
        closingBrace = 1
    }

    /// Parses a `SecretString`. Throws when it is not one JSON object.
    public init(parsing text: String) throws(SecretDocumentError) {
        let bytes = Array(text.utf8)
        var scanner = JSONScanner(bytes: bytes)
        let (members, closingBrace) = try scanner.scanTopLevelObject()
        self.secretString = text
        self.members = members.map { Member(key: $0.key, valueStart: $0.valueStart, valueEnd: $0.valueEnd, string: $0.string) }
        self.closingBrace = closingBrace
    }

    /// The member names, in document order (a repeated name appears each time).
    public var keys: [String] { members.map(\.key) }

    /// The string under `key`, nil when the key is absent or its value is not a string. When the
    /// key appears more than once, the last one counts (as in JavaScript and Python).
    public func value(forKey key: String) -> String? {
        members.last { $0.key == key }?.string
    }

    /// Sets `key` to the string `value`, replacing the value text of every member with that name
    /// (so no reader can pick a stale duplicate), or appending the member when there is none.
    /// Nothing else in the text changes.
    public mutating func setValue(_ value: String, forKey key: String) {
        var bytes = Array(secretString.utf8)
        let encodedValue = JSONScanner.encode(value)
        let matching = members.indices.filter { members[$0].key == key }
        if matching.isEmpty {
            let member = JSONScanner.encode(key) + Array(":".utf8) + encodedValue
            let insertAt: Int
            let insertion: [UInt8]
            if let last = members.last {
                insertAt = last.valueEnd
                insertion = Array(",".utf8) + member
            } else {
                insertAt = closingBrace
                insertion = member
            }
            bytes.replaceSubrange(insertAt..<insertAt, with: insertion)
            let keyStart = insertAt + insertion.count - encodedValue.count
            members.append(Member(key: key, valueStart: keyStart, valueEnd: keyStart + encodedValue.count, string: value))
            closingBrace += insertion.count
        } else {
            // Later members first, so that earlier offsets stay valid while splicing.
            for index in matching.reversed() {
                let member = members[index]
                bytes.replaceSubrange(member.valueStart..<member.valueEnd, with: encodedValue)
                let shift = encodedValue.count - (member.valueEnd - member.valueStart)
                members[index].valueEnd = member.valueStart + encodedValue.count
                members[index].string = value
                for later in members.indices where later > index {
                    members[later].valueStart += shift
                    members[later].valueEnd += shift
                }
                closingBrace += shift
            }
        }
        secretString = String(decoding: bytes, as: UTF8.self)
    }

    public static func == (lhs: SecretDocument, rhs: SecretDocument) -> Bool {
        lhs.secretString == rhs.secretString
    }
}

/// Why a text is not a secret document. Carries positions and kinds, never content.
public struct SecretDocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The text is not valid JSON.
        case invalidJSON
        /// Valid JSON, but not an object at the top level.
        case notAnObject
        /// Nested deeper than `JSONScanner.maximumDepth`.
        case tooDeep
    }

    public var kind: Kind
    /// The byte offset where the problem was found.
    public var offset: Int
    /// What was expected there, e.g. "a value" or "',' or '}'".
    public var expected: String

    public init(kind: Kind, offset: Int, expected: String) {
        self.kind = kind
        self.offset = offset
        self.expected = expected
    }

    public var description: String {
        switch kind {
        case .invalidJSON: return "not valid JSON: expected \(expected) at byte \(offset)"
        case .notAnObject: return "a JSON \(expected), not an object"
        case .tooDeep: return "JSON nested more than \(JSONScanner.maximumDepth) levels deep (at byte \(offset))"
        }
    }
}
