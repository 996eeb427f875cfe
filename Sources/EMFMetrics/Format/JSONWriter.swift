/// Builds one line of JSON text by hand: strings escaped per RFC 8259, integers as integers,
/// finite doubles in their shortest form. Callers never pass a NaN or an infinity.
struct JSONWriter {
    private(set) var text = ""

    mutating func raw(_ fragment: String) {
        text += fragment
    }

    mutating func string(_ value: String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    /// `"name":` for a member of an object.
    mutating func key(_ name: String) {
        string(name)
        text += ":"
    }

    mutating func number(_ value: Int64) {
        text += String(value)
    }

    mutating func number(_ value: Int) {
        text += String(value)
    }

    /// A whole number below 2^53 is written as an integer (`5`, not `5.0`).
    mutating func number(_ value: Double) {
        assert(value.isFinite, "JSON has no NaN or infinity")
        if !value.isFinite {
            text += "0"
        } else if value == value.rounded(), Swift.abs(value) < 9_007_199_254_740_992 {
            text += String(Int64(value))
        } else {
            text += String(value)
        }
    }

    /// `[a,b,c]` with `element` writing each member.
    mutating func array<Element>(_ elements: some Sequence<Element>, _ element: (inout JSONWriter, Element) -> Void) {
        text += "["
        var first = true
        for item in elements {
            if !first { text += "," }
            first = false
            element(&self, item)
        }
        text += "]"
    }
}
