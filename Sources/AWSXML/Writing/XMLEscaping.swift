/// Escapes text for use as an XML attribute value (either quote style).
///
/// Escapes `& < > " '` and writes tab, line feed and carriage return as character
/// references so that attribute-value normalization does not turn them into spaces.
package func xmlEscaped(_ text: String) -> String {
    escape(text, attribute: true)
}

/// Escapes text for use as XML character data: `& < >` (which also covers `]]>`),
/// and carriage return as `&#13;` so that line-end normalization keeps it.
package func xmlTextEscaped(_ text: String) -> String {
    escape(text, attribute: false)
}

private func escape(_ text: String, attribute: Bool) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for ch in text.unicodeScalars {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\r": out += "&#13;"
        case "\"" where attribute: out += "&quot;"
        case "'" where attribute: out += "&apos;"
        case "\t" where attribute: out += "&#9;"
        case "\n" where attribute: out += "&#10;"
        default: out.unicodeScalars.append(ch)
        }
    }
    return out
}
