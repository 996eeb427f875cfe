extension XMLElement {
    /// The element serialized as XML text: exactly as parsed for whatever was not changed.
    public var xmlString: String {
        var out = ""
        write(to: &out)
        return out
    }

    func write(to out: inout String) {
        out += "<"
        out += name
        for attribute in attributes {
            out += attribute.leadingWhitespace
            out += attribute.name
            out += attribute.equalsSign
            out.append(attribute.quote)
            out += attribute.rawValue
            out.append(attribute.quote)
        }
        out += startTagTrailingWhitespace
        if isSelfClosing && children.isEmpty {
            out += "/>"
            return
        }
        out += ">"
        for child in children {
            child.write(to: &out)
        }
        out += "</"
        out += name
        out += endTagTrailingWhitespace
        out += ">"
    }
}

extension XMLNode {
    func write(to out: inout String) {
        switch self {
        case .element(let element):
            element.write(to: &out)
        case .text(let text):
            out += text.raw
        case .cdata(let content):
            out += "<![CDATA["
            out += content
            out += "]]>"
        case .comment(let content):
            out += "<!--"
            out += content
            out += "-->"
        case .processingInstruction(let pi):
            out += "<?"
            out += pi.target
            out += pi.rawData
            out += "?>"
        }
    }
}
