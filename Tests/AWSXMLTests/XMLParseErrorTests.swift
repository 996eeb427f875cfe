import AWSXML
import Testing

@Suite struct XMLParseErrorTests {
    private func failure(_ text: String, maximumDepth: Int = XMLDocument.defaultMaximumDepth) -> XMLParseError? {
        do {
            _ = try XMLDocument(string: text, maximumDepth: maximumDepth)
            return nil
        } catch {
            return error
        }
    }

    @Test func mismatchedEndTagNamesBothTagsAndItsPosition() throws {
        let error = try #require(failure("<a>\n  <b></c>\n</a>"))
        #expect(error.reason == .mismatchedEndTag(expected: "b", found: "c"))
        #expect(error.line == 2)
        #expect(error.column == 6)
        #expect(error.description.contains("</c>"))
        #expect(error.description.contains("expected </b>"))
    }

    @Test func unclosedElementNamesTheTagAndWhereItOpened() throws {
        let error = try #require(failure("<a>\n<b>\ntext"))
        #expect(error.reason == .unclosedElement(name: "b", openedAtLine: 2))
    }

    @Test(arguments: [
        ("<a x=1/>", "a quoted value for attribute 'x'"),
        ("<a x/>", "'=' after attribute 'x'"),
        ("<a x=\"1\"y=\"2\"/>", "whitespace, '>' or '/>' in <a>"),
        ("<a / >", "'>' after '/' in <a>"),
        ("<1a/>", "an element name"),
        ("<a></ a>", "an element name after '</'"),
        ("<a>x &amp y</a>", "';' to end the reference"),
        ("<a><!x></a>", "'<!--', '<![CDATA[' or an element"),
    ])
    func badSyntaxSaysWhatWasExpected(text: String, expected: String) throws {
        let error = try #require(failure(text))
        guard case .unexpectedCharacter(_, let actual) = error.reason else {
            Issue.record("unexpected reason \(error.reason)")
            return
        }
        #expect(actual == expected)
    }

    @Test func duplicateAttribute() throws {
        let error = try #require(failure("<a x='1' y='2' x='3'/>"))
        #expect(error.reason == .duplicateAttribute("x"))
        #expect(error.column == 16)
    }

    @Test func unknownEntityAndBadCharacterReferences() throws {
        #expect(failure("<a>&nbsp;</a>")?.reason == .unknownEntity("nbsp"))
        #expect(failure("<a b='&foo;'/>")?.reason == .unknownEntity("foo"))
        #expect(failure("<a>&#0;</a>")?.reason == .invalidCharacterReference("#0"))
        #expect(failure("<a>&#xD800;</a>")?.reason == .invalidCharacterReference("#xD800"))
        #expect(failure("<a>&#x110000;</a>")?.reason == .invalidCharacterReference("#x110000"))
        #expect(failure("<a>&#12a;</a>")?.reason == .invalidCharacterReference("#12a"))
        #expect(failure("<a>&#x;</a>")?.reason == .invalidCharacterReference("#x"))
        #expect(failure("<a>&#xFFFE;</a>")?.reason == .invalidCharacterReference("#xFFFE"))
    }

    @Test func structuralRules() {
        #expect(failure("<a b='<'/>")?.reason == .lessThanInAttributeValue)
        #expect(failure("<a>x]]>y</a>")?.reason == .cdataEndInText)
        #expect(failure("<a><!-- a -- b --></a>")?.reason == .doubleHyphenInComment)
        #expect(failure("<a><!-- a ---></a>")?.reason == .doubleHyphenInComment)
        #expect(failure("<a/>text")?.reason == .contentAfterRootElement)
        #expect(failure("<a/><b/>")?.reason == .contentAfterRootElement)
        #expect(failure("text<a/>")?.reason == .textBeforeRootElement)
        #expect(failure("")?.reason == .missingRootElement)
        #expect(failure("<?xml version=\"1.0\"?>\n<!-- only -->")?.reason == .missingRootElement)
    }

    @Test func doctypeIsRefusedAnywhere() {
        let xxe = """
            <?xml version="1.0"?>
            <!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <r>&x;</r>
            """
        #expect(failure(xxe)?.reason == .doctypeNotAllowed)
        #expect(failure("<r><!DOCTYPE r></r>")?.reason == .doctypeNotAllowed)
    }

    @Test func xmlDeclarationRules() {
        #expect(failure(" <?xml version=\"1.0\"?><a/>")?.reason
            == .invalidXMLDeclaration("it may appear only once, at the very start of the document"))
        #expect(failure("<?xml encoding=\"UTF-8\"?><a/>")?.reason
            == .invalidXMLDeclaration("expected version, then optional encoding and standalone, in that order"))
        #expect(failure("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>")?.reason == .unsupportedEncoding("ISO-8859-1"))
        #expect(failure("<?xml version=\"2.0\"?><a/>")?.reason == .invalidXMLDeclaration("version must be 1.x"))
    }

    @Test func truncatedInputSaysWhatIsMissing() throws {
        let full = "<?xml version=\"1.0\"?><a x=\"1\"><!-- c --><![CDATA[d]]><?p q?>&amp;<b/></a>"
        let bytes = Array(full.utf8)
        for length in 0..<bytes.count {
            do {
                _ = try XMLDocument(bytes: Array(bytes[0..<length]))
                Issue.record("a document truncated to \(length) bytes parsed")
            } catch {
                #expect(error.offset <= length)
            }
        }
    }

    @Test func invalidUTF8IsReportedWhereItStarts() throws {
        #expect(throws: XMLParseError.self) { try XMLDocument(bytes: [0x3C, 0x61, 0x3E, 0xFF, 0x3C, 0x2F, 0x61, 0x3E]) }
        #expect(throws: XMLParseError.self) { try XMLDocument(bytes: Array("<a>".utf8) + [0xED, 0xA0, 0x80] + Array("</a>".utf8)) }
        do {
            _ = try XMLDocument(bytes: Array("<a>\nxy".utf8) + [0xC0, 0xAF] + Array("</a>".utf8))
            Issue.record("overlong UTF-8 parsed")
        } catch {
            #expect(error.reason == .invalidUTF8)
            #expect(error.line == 2)
            #expect(error.column == 3)
        }
        #expect(failure("<a>\u{1}</a>")?.reason == .invalidCharacter(1))
    }

    @Test func depthLimitStopsDeepNesting() throws {
        let deep = String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000)
        #expect(failure(deep)?.reason == .depthLimitExceeded(256))
        let justFits = String(repeating: "<a>", count: 5) + String(repeating: "</a>", count: 5)
        #expect(failure(justFits, maximumDepth: 5) == nil)
        #expect(failure(justFits, maximumDepth: 4)?.reason == .depthLimitExceeded(4))
    }

    @Test func errorMessagesDoNotEchoTextContent() throws {
        let secret = "s3cr3tValue"
        let cases = [
            "<a>\(secret)</b>",
            "<a>\(secret)&bogus;</a>",
            "<a k='\(secret)<'/>",
            "<a>\(secret)",
            "<a/>\(secret)",
        ]
        for text in cases {
            let error = try #require(failure(text))
            #expect(!error.description.contains(secret))
        }
    }
}
