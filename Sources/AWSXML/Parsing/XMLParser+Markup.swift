extension XMLParser {
    // MARK: Character data, comments, CDATA, processing instructions

    mutating func parseText() throws(XMLParseError) -> XMLText {
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "<") {
            if bytes[index] == UInt8(ascii: ">"), index >= start + 2,
               bytes[index - 1] == UInt8(ascii: "]"), bytes[index - 2] == UInt8(ascii: "]") {
                throw XMLParseError.at(.cdataEndInText, offset: index - 2, in: bytes)
            }
            index += 1
        }
        let range = start..<index
        return XMLText(raw: string(range), value: try decode(range, attribute: false))
    }

    mutating func whitespaceNode() -> XMLText {
        let text = skipWhitespace()
        return XMLText(raw: text, value: normalizedLineEnds(text))
    }

    mutating func parseComment() throws(XMLParseError) -> String {
        index += 4
        let start = index
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "-"), bytes[index + 1] == UInt8(ascii: "-") {
                guard index + 2 < bytes.count else { break }
                guard bytes[index + 2] == UInt8(ascii: ">") else { throw error(.doubleHyphenInComment) }
                let content = string(start..<index)
                index += 3
                return content
            }
            index += 1
        }
        index = bytes.count
        throw error(.unexpectedEndOfInput(expected: "'-->' to end the comment"))
    }

    mutating func parseCDATA() throws(XMLParseError) -> String {
        index += 9
        let start = index
        while index + 2 < bytes.count {
            if bytes[index] == UInt8(ascii: "]"), bytes[index + 1] == UInt8(ascii: "]"), bytes[index + 2] == UInt8(ascii: ">") {
                let content = string(start..<index)
                index += 3
                return content
            }
            index += 1
        }
        index = bytes.count
        throw error(.unexpectedEndOfInput(expected: "']]>' to end the CDATA section"))
    }

    mutating func parseProcessingInstruction() throws(XMLParseError) -> XMLProcessingInstruction {
        let start = index
        index += 2
        let target = try parseName(expected: "a processing instruction target after '<?'")
        if target.lowercased() == "xml" {
            throw XMLParseError.at(
                .invalidXMLDeclaration("it may appear only once, at the very start of the document"),
                offset: start, in: bytes
            )
        }
        let dataStart = index
        if index < bytes.count, !isWhitespace(bytes[index]), !lookingAt("?>") {
            throw unexpected(at: index, expected: "whitespace or '?>' after '<?\(target)'")
        }
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "?"), bytes[index + 1] == UInt8(ascii: ">") {
                let rawData = string(dataStart..<index)
                index += 2
                return XMLProcessingInstruction(target: target, rawData: rawData)
            }
            index += 1
        }
        index = bytes.count
        throw error(.unexpectedEndOfInput(expected: "'?>' to end <?\(target)"))
    }

    mutating func parseXMLDeclaration() throws(XMLParseError) -> XMLProcessingInstruction {
        index += 5
        let dataStart = index
        var seen: [String] = []
        while true {
            let whitespace = skipWhitespace()
            guard index < bytes.count else {
                throw error(.unexpectedEndOfInput(expected: "'?>' to end the XML declaration"))
            }
            if lookingAt("?>") {
                guard seen.first == "version" else {
                    throw error(.invalidXMLDeclaration("'version' is required and must come first"))
                }
                let rawData = string(dataStart..<index)
                index += 2
                return XMLProcessingInstruction(target: "xml", rawData: rawData)
            }
            guard !whitespace.isEmpty else {
                throw unexpected(at: index, expected: "whitespace or '?>' in the XML declaration")
            }
            let nameStart = index
            let attribute = try parseAttribute(leadingWhitespace: whitespace, element: "?xml")
            let order = ["version", "encoding", "standalone"]
            guard let position = order.firstIndex(of: attribute.name),
                  seen.allSatisfy({ (order.firstIndex(of: $0) ?? 0) < position }),
                  position == 0 || !seen.isEmpty else {
                throw XMLParseError.at(
                    .invalidXMLDeclaration("expected version, then optional encoding and standalone, in that order"),
                    offset: nameStart, in: bytes
                )
            }
            switch attribute.name {
            case "version":
                guard attribute.rawValue.hasPrefix("1."), attribute.rawValue.count > 2,
                      attribute.rawValue.dropFirst(2).allSatisfy({ $0.isASCII && $0.isNumber }) else {
                    throw XMLParseError.at(.invalidXMLDeclaration("version must be 1.x"), offset: nameStart, in: bytes)
                }
            case "encoding":
                let name = attribute.rawValue.lowercased()
                guard name == "utf-8" || name == "utf8" else {
                    throw XMLParseError.at(.unsupportedEncoding(attribute.rawValue), offset: nameStart, in: bytes)
                }
            default:
                guard attribute.rawValue == "yes" || attribute.rawValue == "no" else {
                    throw XMLParseError.at(.invalidXMLDeclaration("standalone must be 'yes' or 'no'"), offset: nameStart, in: bytes)
                }
            }
            seen.append(attribute.name)
        }
    }
}
