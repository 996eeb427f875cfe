public import AWSXML

/// A CloudFront `DistributionConfig` (2020-05-31 API) kept as the XML tree
/// `GetDistributionConfig` returned, so that `UpdateDistribution` can send it back with
/// nothing changed except the origin custom header values we set.
public struct DistributionConfig: Sendable {
    /// The XML namespace of the CloudFront 2020-05-31 API.
    public static let namespace = "http://cloudfront.amazonaws.com/doc/2020-05-31/"

    /// The parsed document; serializes to the input bytes until a header value is changed.
    public private(set) var document: XMLDocument

    /// Parses the body of a `GetDistributionConfig` response.
    public init(xml: [UInt8]) throws(DistributionConfigError) {
        let document: XMLDocument
        do {
            document = try XMLDocument(bytes: xml)
        } catch {
            throw .malformedXML(error)
        }
        guard document.root.localName == "DistributionConfig" else {
            throw .unexpectedRootElement(found: document.root.name)
        }
        self.document = document
        try validateOrigins()
    }

    /// The configuration as UTF-8 XML, ready to be the body of `UpdateDistribution`.
    public var xmlBytes: [UInt8] { document.bytes }

    /// The namespace the root element declares, if any (normally ``namespace``).
    public var declaredNamespace: String? {
        let root = document.root.name
        guard let colon = root.firstIndex(of: ":") else { return document.root.attribute(named: "xmlns") }
        return document.root.attribute(named: "xmlns:" + String(root[..<colon]))
    }

    /// The unique value that identified the request that created the distribution.
    public var callerReference: String? { document.root.child(named: qualified("CallerReference"))?.text }

    /// The distribution's comment.
    public var comment: String? { document.root.child(named: qualified("Comment"))?.text }

    /// Whether the distribution is enabled; nil when the element is missing or not a boolean.
    public var enabled: Bool? {
        switch document.root.child(named: qualified("Enabled"))?.text {
        case "true": true
        case "false": false
        default: nil
        }
    }

    /// The origins, in document order.
    public var origins: [Origin] {
        document.root.elements(at: originsPath).map { origin in
            Origin(
                id: origin.child(named: qualified("Id"))?.text ?? "",
                domainName: origin.child(named: qualified("DomainName"))?.text ?? "",
                customHeaders: origin.elements(at: headersPath).map { header in
                    CustomHeader(
                        name: header.child(named: qualified("HeaderName"))?.text ?? "",
                        value: header.child(named: qualified("HeaderValue"))?.text ?? ""
                    )
                }
            )
        }
    }

    /// The ids of the origins that carry the custom header `name` (compared case-insensitively).
    public func origins(carryingHeader name: String) -> [String] {
        let wanted = name.lowercased()
        return origins
            .filter { origin in origin.customHeaders.contains { $0.name.lowercased() == wanted } }
            .map(\.id)
    }

    /// Sets the value of the custom header `name` (case-insensitive) on every origin that
    /// already carries it and returns the ids of the origins whose value changed.
    ///
    /// Origins that lack the header are left alone, as is every other byte of the document;
    /// an origin that already holds `value` is not rewritten and not returned.
    @discardableResult
    public mutating func setCustomHeader(named name: String, to value: String) -> [String] {
        let wanted = name.lowercased()
        let idName = qualified("Id")
        let headerName = qualified("HeaderName")
        let headerValue = qualified("HeaderValue")
        let originsPath = originsPath
        let headersPath = headersPath
        var changed: [String] = []
        document.root.modifyElements(at: originsPath) { origin in
            var originChanged = false
            origin.modifyElements(at: headersPath) { header in
                guard header.child(named: headerName)?.text.lowercased() == wanted else { return }
                header.modifyChildren(named: headerValue) { element in
                    guard element.text != value else { return }
                    element.setText(value)
                    originChanged = true
                }
            }
            if originChanged {
                changed.append(origin.child(named: idName)?.text ?? "")
            }
        }
        return changed
    }

    private var originsPath: [String] { [qualified("Origins"), qualified("Items"), qualified("Origin")] }

    private var headersPath: [String] {
        [qualified("CustomHeaders"), qualified("Items"), qualified("OriginCustomHeader")]
    }

    /// `name` with the root element's namespace prefix, if it has one.
    private func qualified(_ name: String) -> String {
        let root = document.root.name
        guard let colon = root.firstIndex(of: ":") else { return name }
        return String(root[...colon]) + name
    }

    private func validateOrigins() throws(DistributionConfigError) {
        let origins = document.root.elements(at: originsPath)
        for (index, origin) in origins.enumerated() {
            for required in ["Id", "DomainName"] where origin.child(named: qualified(required)) == nil {
                throw .missingElement(required, origin: index + 1, originId: nil)
            }
            let id = origin.child(named: qualified("Id"))?.text
            for header in origin.elements(at: headersPath) {
                for required in ["HeaderName", "HeaderValue"] where header.child(named: qualified(required)) == nil {
                    throw .missingElement("CustomHeaders/Items/OriginCustomHeader/" + required, origin: index + 1, originId: id)
                }
            }
        }
    }
}
