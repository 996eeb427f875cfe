import AWSXML
import Foundation
import Testing
import TestSupport

@Suite struct XMLRoundTripTests {
    static let documents: [String] = [
        "<a/>",
        "<a></a>",
        "<a  />",
        "<a\n/>",
        "<?xml version=\"1.0\"?><a/>",
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<!-- c -->\n<?pi data?>\n<a/>\n<!-- after -->\n",
        "\u{FEFF}<?xml version=\"1.0\" encoding=\"utf-8\"?><a/>",
        "<a x = '1'\ty=\"2\"\n  z='&quot;&#65;&#x42;'  >text</a >",
        "<p:root xmlns:p=\"urn:p\" xmlns=\"urn:default\"><p:child p:attr=\"v\"/></p:root>",
        "<a>&lt;&gt;&amp;&apos;&quot;&#233;&#xE9;&#x1F511; raw é 🔑 &gt;</a>",
        "<a><![CDATA[<not> & markup ]] ]>]]><!----><?x?></a>",
        "<a>\r\n  <b>one\r\ntwo</b>\r</a>",
        "<a>]]</a>",
        "<a>>></a>",
        "<_x-y.z:w·/>",
        "<a><b><c><d/></c></b><e>t</e>tail</a>",
    ]

    @Test(arguments: documents)
    func unchangedDocumentSerializesToIdenticalBytes(text: String) throws {
        let bytes = Array(text.utf8)
        let document = try XMLDocument(bytes: bytes)
        #expect(document.bytes == bytes)
        #expect(document.xmlString == text)
    }

    @Test func selfClosingAndEmptyElementsStayAsWritten() throws {
        let document = try XMLDocument(string: "<r><a/><b></b><c /></r>")
        let elements = document.root.elements
        #expect(elements.map(\.isSelfClosing) == [true, false, true])
        #expect(document.xmlString == "<r><a/><b></b><c /></r>")
    }

    @Test func changingOneTextLeavesEveryOtherByteAlone() throws {
        let source = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- keep me -->
            <Config xmlns="urn:x" a = 'q&amp;' >
              <Keep>&#65;&amp;&#x42;</Keep>   <!-- inner -->
              <Secret>old</Secret>
              <Other attr="1"/>
            </Config >
            <!-- trailing -->

            """
        var document = try XMLDocument(string: source)
        document.root.modifyChildren(named: "Secret") { $0.setText("n&w<v>") }
        #expect(document.xmlString == source.replacingOccurrences(of: "old", with: "n&amp;w&lt;v&gt;"))
    }

    @Test func settingTextOnASelfClosingElementWritesAnEndTag() throws {
        var document = try XMLDocument(string: "<r><v/></r>")
        document.root.modifyChildren(named: "v") { $0.setText("x") }
        #expect(document.xmlString == "<r><v>x</v></r>")
    }

    @Test func largeDocumentRoundTripsQuickly() throws {
        var text = "<?xml version=\"1.0\"?>\n<Root xmlns=\"urn:r\">\n"
        for index in 0..<2_000 {
            text += "  <Item id=\"\(index)\"><Name>item &amp; \(index)</Name><Value>\(index * 7)</Value></Item>\n"
        }
        text += "</Root>\n"
        let bytes = Array(text.utf8)
        #expect(bytes.count > 100_000)
        let (parsed, cpuTime) = try measureThreadCPUTime { try XMLDocument(bytes: bytes) }
        #expect(parsed.bytes == bytes)
        #expect(parsed.root.children(named: "Item").count == 2_000)
        #expect(cpuTime < .seconds(2), "the parse's own CPU time, which the machine's load does not inflate")
    }
}
