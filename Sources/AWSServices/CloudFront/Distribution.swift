#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import AWSCore
import AWSXML

/// What `GetDistribution`, `CreateDistribution` and `UpdateDistribution` report about a distribution.
public struct Distribution: Sendable {
    public var id: String
    public var arn: String?
    /// `InProgress` while a change propagates to the edges, then `Deployed`.
    public var status: String
    public var domainName: String?
    public var lastModifiedTime: Date?
    /// The version to send as `If-Match` with the next update.
    public var etag: String?

    /// Whether every edge has the current configuration.
    public var isDeployed: Bool { status == "Deployed" }

    init(element: XMLElement, etag: String?) {
        func text(_ name: String) -> String? { element.children.lazy.compactMap { node -> XMLElement? in
            if case let .element(child) = node, child.localName == name { return child }
            return nil
        }.first?.text }
        id = text("Id") ?? ""
        arn = text("ARN")
        status = text("Status") ?? ""
        domainName = text("DomainName")
        lastModifiedTime = text("LastModifiedTime").flatMap(AWSTimestamp.parseISO8601)
        self.etag = etag
    }
}

/// One entry of `ListDistributions`.
public struct DistributionSummary: Sendable {
    public var id: String
    public var status: String
    public var domainName: String?
    public var comment: String?
    /// Domain names of the distribution's origins.
    public var originDomainNames: [String]
}
