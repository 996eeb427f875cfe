import Testing
import AWSXML

@Test func escapesTheFiveXMLSpecialCharacters() {
    #expect(xmlEscaped(#"a<b>&"c'"#) == "a&lt;b&gt;&amp;&quot;c&apos;")
}
