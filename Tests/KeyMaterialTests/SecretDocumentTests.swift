import KeyMaterial
import Testing

/// A rotation changes only the secret key's value: every other member keeps its literal text.
@Suite struct SecretDocumentTests {
    /// Sets HTTP_API_KEY in `text` and returns the result.
    private func rotated(_ text: String, to value: String = "NEWVALUE") throws -> String {
        var document = try SecretDocument(parsing: text)
        document.setValue(value, forKey: "HTTP_API_KEY")
        return document.secretString
    }

    @Test(arguments: [
        // Big integers, trailing zeros, exponents, negative zero: exactly as written.
        (#"{"HTTP_API_KEY":"old","id":12345678901234567890}"#, #"{"HTTP_API_KEY":"NEWVALUE","id":12345678901234567890}"#),
        (#"{"price":1.10,"HTTP_API_KEY":"old"}"#, #"{"price":1.10,"HTTP_API_KEY":"NEWVALUE"}"#),
        (#"{"HTTP_API_KEY":"old","nested":{"a":[1,2.50,{"b":-0.0}]}}"#, #"{"HTTP_API_KEY":"NEWVALUE","nested":{"a":[1,2.50,{"b":-0.0}]}}"#),
        (#"{"HTTP_API_KEY":"old","z":-0,"e":1E+400,"f":6.02e-23}"#, #"{"HTTP_API_KEY":"NEWVALUE","z":-0,"e":1E+400,"f":6.02e-23}"#),
        // Unicode escapes, surrogate pairs and raw UTF-8 stay escaped (or not) as they were.
        (#"{"name":"caf\u00e9 \ud83d\ude00 😀","HTTP_API_KEY":"old","esc":"a\/b\n"}"#, #"{"name":"caf\u00e9 \ud83d\ude00 😀","HTTP_API_KEY":"NEWVALUE","esc":"a\/b\n"}"#),
        // null, booleans, whitespace and member order.
        ("{ \"a\" : null ,\n  \"HTTP_API_KEY\" : \"old\" ,\t\"b\":true,\"c\":false }", "{ \"a\" : null ,\n  \"HTTP_API_KEY\" : \"NEWVALUE\" ,\t\"b\":true,\"c\":false }"),
        // A key that was not there is appended after the last member; an empty object gets it alone.
        (#"{"other":"x" }"#, #"{"other":"x","HTTP_API_KEY":"NEWVALUE" }"#),
        ("{ }", #"{ "HTTP_API_KEY":"NEWVALUE"}"#),
        // A key written with an escape is the same key.
        (#"{"HTTP_API_\u004bEY":"old"}"#, #"{"HTTP_API_\u004bEY":"NEWVALUE"}"#),
        // A value of another type under the key is replaced by the string.
        (#"{"HTTP_API_KEY":{"was":"an object"},"n":1.0}"#, #"{"HTTP_API_KEY":"NEWVALUE","n":1.0}"#),
    ] as [(String, String)])
    func settingTheKeyKeepsEveryOtherMemberByteForByte(before: String, after: String) throws {
        #expect(try rotated(before) == after)
    }

    @Test func everyDuplicateOfTheKeyGetsTheNewValue() throws {
        let text = #"{"HTTP_API_KEY":"one","x":1.50,"HTTP_API_KEY":"two"}"#
        #expect(try SecretDocument(parsing: text).value(forKey: "HTTP_API_KEY") == "two", "the last duplicate counts, as in JavaScript and Python")
        let result = try rotated(text, to: "longer-than-both")
        #expect(result == #"{"HTTP_API_KEY":"longer-than-both","x":1.50,"HTTP_API_KEY":"longer-than-both"}"#)
        #expect(try SecretDocument(parsing: result).value(forKey: "HTTP_API_KEY") == "longer-than-both")
    }

    @Test func repeatedEditsStayConsistent() throws {
        var document = try SecretDocument(parsing: #"{"a":1.10,"HTTP_API_KEY":"v0","b":[2.50]}"#)
        for value in ["short", "a much longer value than before", "", "x"] {
            document.setValue(value, forKey: "HTTP_API_KEY")
            document.setValue("\(value)!", forKey: "added")
            let reparsed = try SecretDocument(parsing: document.secretString)
            #expect(reparsed.value(forKey: "HTTP_API_KEY") == value)
            #expect(reparsed.value(forKey: "added") == "\(value)!")
            #expect(reparsed.keys == ["a", "HTTP_API_KEY", "b", "added"])
        }
        #expect(document.secretString == #"{"a":1.10,"HTTP_API_KEY":"x","b":[2.50],"added":"x!"}"#)
    }

    @Test func valuesWithQuotesBackslashesAndControlsAreEscaped() throws {
        var document = SecretDocument()
        document.setValue("a\"b\\c\u{01}\n\té", forKey: "HTTP_API_KEY")
        #expect(document.secretString == #"{"HTTP_API_KEY":"a\"b\\c\u0001\n\té"}"#)
        #expect(try SecretDocument(parsing: document.secretString).value(forKey: "HTTP_API_KEY") == "a\"b\\c\u{01}\n\té")
    }

    @Test func stringsDecode() throws {
        let document = try SecretDocument(parsing: #"{"s":"caf\u00e9 \ud83d\ude00 \/ \b\f\n\r\t \"q\" \\","lone":"\ud800x","n":7,"HTTP_API_KEY":""}"#)
        #expect(document.value(forKey: "s") == "café 😀 / \u{08}\u{0C}\n\r\t \"q\" \\")
        #expect(document.value(forKey: "lone") == "\u{FFFD}x", "a lone surrogate decodes to U+FFFD")
        #expect(document.value(forKey: "n") == nil, "a number is not a string")
        #expect(document.value(forKey: "HTTP_API_KEY") == "")
        #expect(document.value(forKey: "missing") == nil)
    }

    @Test(arguments: [
        ("", SecretDocumentError.Kind.invalidJSON),
        ("HTTP_API_KEY=v", .invalidJSON),
        (#"["HTTP_API_KEY"]"#, .notAnObject),
        ("12", .notAnObject),
        (#""text""#, .notAnObject),
        ("null", .notAnObject),
        (#"{"a":1,}"#, .invalidJSON),
        (#"{"a":01}"#, .invalidJSON),
        (#"{"a":1.}"#, .invalidJSON),
        (#"{"a":.5}"#, .invalidJSON),
        (#"{"a":1e}"#, .invalidJSON),
        (#"{"a":+1}"#, .invalidJSON),
        (#"{"a":NaN}"#, .invalidJSON),
        (#"{"a":tru}"#, .invalidJSON),
        (#"{"a":"\x"}"#, .invalidJSON),
        (#"{"a":"\u12"}"#, .invalidJSON),
        ("{\"a\":\"tab\there\"}", .invalidJSON),
        (#"{"a":"open}"#, .invalidJSON),
        (#"{a:1}"#, .invalidJSON),
        (#"{"a" 1}"#, .invalidJSON),
        (#"{"a":1} {"b":2}"#, .invalidJSON),
        (#"{"a":[1 2]}"#, .invalidJSON),
        ("\u{FEFF}{}", .invalidJSON),
        (String(repeating: "[", count: 200) + String(repeating: "]", count: 200), .notAnObject),
        (#"{"a":"# + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "}", .tooDeep),
    ] as [(String, SecretDocumentError.Kind)])
    func malformedTextIsRefused(text: String, kind: SecretDocumentError.Kind) {
        #expect(throws: SecretDocumentError.self) { try SecretDocument(parsing: text) }
        do {
            _ = try SecretDocument(parsing: text)
        } catch {
            #expect(error.kind == kind || (kind == .notAnObject && error.kind == .tooDeep))
        }
    }

    @Test func errorsNameThePositionNeverTheContent() {
        let secret = "S3cr3tValueThatMustNotLeak"
        do {
            _ = try SecretDocument(parsing: #"{"HTTP_API_KEY":"\#(secret)",}"#)
            Issue.record("a trailing comma is not JSON")
        } catch {
            let text = "\(error)"
            #expect(!text.contains(secret))
            #expect(text.contains("byte 45"))
        }
    }
}
