extension XMLDocument {
    /// The document serialized as XML text: exactly as parsed for whatever was not changed.
    public var xmlString: String {
        var out = ""
        if hasByteOrderMark { out += "\u{FEFF}" }
        for node in prolog { node.write(to: &out) }
        root.write(to: &out)
        for node in epilog { node.write(to: &out) }
        return out
    }

    /// The document serialized as UTF-8 bytes.
    public var bytes: [UInt8] {
        Array(xmlString.utf8)
    }
}
