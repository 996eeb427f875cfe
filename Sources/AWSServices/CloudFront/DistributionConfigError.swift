public import AWSXML

/// Why a body could not be used as a CloudFront `DistributionConfig`.
public enum DistributionConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The body is not well-formed XML.
    case malformedXML(XMLParseError)
    /// The root element is not `DistributionConfig`.
    case unexpectedRootElement(found: String)
    /// An origin lacks an element CloudFront always sends (`origin` is 1-based).
    case missingElement(String, origin: Int, originId: String?)

    public var description: String {
        switch self {
        case .malformedXML(let error):
            return "CloudFront DistributionConfig is not well-formed XML (\(error)); "
                + "pass the body of GetDistributionConfig unchanged"
        case .unexpectedRootElement(let found):
            let hint = found.hasSuffix("Distribution")
                ? "; this looks like a GetDistribution body: use GetDistributionConfig, whose ETag UpdateDistribution needs"
                : ""
            return "expected a CloudFront <DistributionConfig> document, found root element <\(found)>\(hint)"
        case .missingElement(let path, let origin, let originId):
            let which = originId.map { "origin '\($0)'" } ?? "origin #\(origin)"
            return "CloudFront DistributionConfig \(which) has no <\(path)>; "
                + "refusing to edit a configuration that UpdateDistribution would reject or truncate"
        }
    }
}
