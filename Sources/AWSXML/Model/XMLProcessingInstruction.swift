/// A processing instruction `<?target data?>`; the XML declaration is one with target `xml`.
public struct XMLProcessingInstruction: Sendable, Equatable {
    /// The target name, e.g. `xml` or `xml-stylesheet`.
    public var target: String
    /// Everything between the target and `?>`, leading whitespace included.
    public var rawData: String

    /// A processing instruction written as `<?target data?>` (`<?target?>` when `data` is empty).
    public init(target: String, data: String) {
        self.target = target
        self.rawData = data.isEmpty ? "" : " " + data
    }

    init(target: String, rawData: String) {
        self.target = target
        self.rawData = rawData
    }

    /// The instruction's data without the whitespace that separates it from the target.
    public var data: String {
        String(rawData.drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }))
    }

    /// Whether this is the XML declaration (`<?xml version=...?>`).
    public var isXMLDeclaration: Bool { target == "xml" }

    /// `<?xml version="1.0" encoding="UTF-8"?>`.
    public static let standardDeclaration = XMLProcessingInstruction(
        target: "xml", rawData: #" version="1.0" encoding="UTF-8""#
    )
}
