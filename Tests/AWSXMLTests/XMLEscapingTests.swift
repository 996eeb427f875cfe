import AWSXML
import Testing

@Suite struct XMLEscapingTests {
    @Test func attributeEscapingCoversBothQuotesAndWhitespaceControls() {
        #expect(xmlEscaped(#"a<b>&"c'"#) == "a&lt;b&gt;&amp;&quot;c&apos;")
        #expect(xmlEscaped("a\tb\nc\rd") == "a&#9;b&#10;c&#13;d")
    }

    @Test func textEscapingLeavesQuotesAndEscapesCDATAEnd() {
        #expect(xmlTextEscaped(#"x]]>y "q" 'a' & <"#) == #"x]]&gt;y "q" 'a' &amp; &lt;"#)
        #expect(xmlTextEscaped("line\r\nnext") == "line&#13;\nnext")
    }

    @Test(arguments: ["plain", "a&b<c>d", "]]>", "\"'", "tab\there", "cr\rlf\n", "üñíçødé 🔑"])
    func escapedTextParsesBackToTheSameValue(value: String) throws {
        let text = try XMLDocument(string: "<r>\(xmlTextEscaped(value))</r>").root.text
        #expect(text == value)
        let attribute = try XMLDocument(string: "<r a=\"\(xmlEscaped(value))\"/>").root.attribute(named: "a")
        #expect(attribute == value)
        let single = try XMLDocument(string: "<r a='\(xmlEscaped(value))'/>").root.attribute(named: "a")
        #expect(single == value)
    }
}
