import AWSXML
import Testing

@Suite struct XMLElementTests {
    static let sample = """
        <Root xmlns="urn:r" xmlns:x="urn:x" x:flag="a &amp; b">
          <Item id="1"><Name>one</Name></Item>
          <!-- between -->
          <Item id="2"><Name>t<![CDATA[w&o]]>&#x21;</Name></Item>
          <x:Other/>
        </Root>
        """

    @Test func queriesFindChildrenByQualifiedName() throws {
        let root = try XMLDocument(string: Self.sample).root
        #expect(root.name == "Root")
        #expect(root.children(named: "Item").map { $0.attribute(named: "id") } == ["1", "2"])
        #expect(root.child(named: "Item")?.child(named: "Name")?.text == "one")
        #expect(root.child(named: "x:Other")?.localName == "Other")
        #expect(root.child(named: "Missing") == nil)
        #expect(root.elements.count == 3)
        #expect(root.attribute(named: "x:flag") == "a & b")
        #expect(root.attributes.map(\.name) == ["xmlns", "xmlns:x", "x:flag"])
        #expect(root.attributes[2].rawValue == "a &amp; b")
    }

    @Test func textDecodesReferencesAndJoinsCDATA() throws {
        let root = try XMLDocument(string: Self.sample).root
        #expect(root.elements(at: ["Item", "Name"]).map(\.text) == ["one", "tw&o!"])
    }

    @Test func textNormalizesLineEndsAndAttributesNormalizeWhitespace() throws {
        let root = try XMLDocument(string: "<a v='x\ty\r\nz&#10;'>1\r\n2\r3</a>").root
        #expect(root.text == "1\n2\n3")
        #expect(root.attribute(named: "v") == "x y z\n")
    }

    @Test func modifyElementsAtPathChangesEveryMatch() throws {
        var document = try XMLDocument(string: Self.sample)
        document.root.modifyElements(at: ["Item", "Name"]) { $0.setText($0.text.uppercased()) }
        #expect(document.root.elements(at: ["Item", "Name"]).map(\.text) == ["ONE", "TW&O!"])
        let expected = Self.sample
            .replacing("<Name>one</Name>", with: "<Name>ONE</Name>")
            .replacing("<Name>t<![CDATA[w&o]]>&#x21;</Name>", with: "<Name>TW&amp;O!</Name>")
        #expect(document.xmlString == expected)
    }

    @Test func setAttributeKeepsQuoteStyleAndEscapes() throws {
        var document = try XMLDocument(string: "<a  k = 'v' />")
        document.root.setAttribute("k", to: "it's <new>")
        document.root.setAttribute("n", to: "2")
        #expect(document.xmlString == "<a  k = 'it&apos;s &lt;new&gt;' n=\"2\" />")
    }

    @Test func buildingARequestBody() throws {
        let body = XMLElement(
            name: "Request",
            attributes: [XMLAttribute(name: "xmlns", value: "urn:svc")],
            elements: [
                XMLElement(name: "Name", text: "a<b & \"c\""),
                XMLElement(name: "Empty"),
                XMLElement(name: "List", elements: [XMLElement(name: "Item", text: "1")]),
            ]
        )
        let document = XMLDocument(root: body)
        let expected = #"<?xml version="1.0" encoding="UTF-8"?><Request xmlns="urn:svc"><Name>a&lt;b &amp; "c"</Name><Empty></Empty><List><Item>1</Item></List></Request>"#
        #expect(document.xmlString == expected)
        let reparsed = try XMLDocument(bytes: document.bytes)
        #expect(reparsed == document)
        #expect(reparsed.root.child(named: "Name")?.text == "a<b & \"c\"")
        #expect(reparsed.declaration?.data == #"version="1.0" encoding="UTF-8""#)
    }

    @Test func prologAndEpilogAreKept() throws {
        let document = try XMLDocument(string: "<?xml version=\"1.0\"?>\n<!--c--><?p d?>\n<r/>\n<!--e-->")
        #expect(document.prolog.count == 5)
        #expect(document.prolog[2] == .comment("c"))
        guard case .processingInstruction(let pi) = document.prolog[3] else {
            Issue.record("expected a processing instruction, got \(document.prolog[3])")
            return
        }
        #expect(pi.target == "p")
        #expect(pi.data == "d")
        #expect(document.epilog == [.text(XMLText("\n")), .comment("e")])
    }
}
