extension XMLElement {
    /// The name without its namespace prefix: `type` for `xsi:type`.
    public var localName: Substring {
        guard let colon = name.lastIndex(of: ":") else { return name[...] }
        return name[name.index(after: colon)...]
    }

    /// The child elements, in document order.
    public var elements: [XMLElement] {
        children.compactMap { node in
            if case .element(let element) = node { return element }
            return nil
        }
    }

    /// The first child element whose qualified name is `name`.
    public func child(named name: String) -> XMLElement? {
        for node in children {
            if case .element(let element) = node, element.name == name { return element }
        }
        return nil
    }

    /// Every child element whose qualified name is `name`, in document order.
    public func children(named name: String) -> [XMLElement] {
        children.compactMap { node in
            if case .element(let element) = node, element.name == name { return element }
            return nil
        }
    }

    /// Every element reached by following `path` (child names) from this element.
    ///
    /// `["Items", "Origin"]` gives every `Origin` child of every `Items` child.
    public func elements(at path: [String]) -> [XMLElement] {
        guard let first = path.first else { return [self] }
        let rest = Array(path.dropFirst())
        return children(named: first).flatMap { $0.elements(at: rest) }
    }

    /// The decoded concatenation of the text and CDATA children (not of descendants).
    public var text: String {
        var out = ""
        for node in children {
            switch node {
            case .text(let text): out += text.value
            case .cdata(let content): out += content
            default: break
            }
        }
        return out
    }

    /// Replaces all children by one text node holding `value` (escaped on write).
    public mutating func setText(_ value: String) {
        children = value.isEmpty ? [] : [.text(XMLText(value))]
    }

    /// The decoded value of the attribute whose qualified name is `name`.
    public func attribute(named name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }

    /// Sets the attribute `name` to `value`, in place when it exists, else appended.
    public mutating func setAttribute(_ name: String, to value: String) {
        if let index = attributes.firstIndex(where: { $0.name == name }) {
            attributes[index].setValue(value)
        } else {
            attributes.append(XMLAttribute(name: name, value: value))
        }
    }

    /// Calls `body` on every child element named `name`, in document order, in place.
    public mutating func modifyChildren(named name: String, _ body: (inout XMLElement) throws -> Void) rethrows {
        for index in children.indices {
            guard case .element(var element) = children[index], element.name == name else { continue }
            children[index] = .text(XMLText(raw: "", value: ""))
            defer { children[index] = .element(element) }
            try body(&element)
        }
    }

    /// Calls `body` on every element reached by following `path` from this element, in place.
    public mutating func modifyElements(at path: [String], _ body: (inout XMLElement) throws -> Void) rethrows {
        guard let first = path.first else {
            try body(&self)
            return
        }
        let rest = Array(path.dropFirst())
        try modifyChildren(named: first) { try $0.modifyElements(at: rest, body) }
    }
}
