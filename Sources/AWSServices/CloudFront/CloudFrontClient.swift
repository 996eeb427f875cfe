public import AWSCore
import AWSXML
import NIOHTTP1

/// The CloudFront operations KeyRotator uses (REST-XML, API version 2020-05-31).
public struct CloudFrontClient: Sendable {
    public let client: AWSClient
    private var service: AWSService { .cloudFront }
    static let apiVersion = "2020-05-31"

    public init(client: AWSClient) { self.client = client }

    /// The configuration exactly as CloudFront holds it, and the ETag to update it with.
    public func getDistributionConfig(id: String) async throws -> (config: DistributionConfig, etag: String) {
        let response = try await client.send(service: service, operation: "GetDistributionConfig", method: .GET,
                                             path: AWSURIEncoding.path([Self.apiVersion, "distribution", id, "config"]))
        guard let etag = response.headers.first(name: "ETag") else {
            throw AWSResponseDecodingError(service: service.signingName, operation: "GetDistributionConfig", reason: "no ETag header for distribution \(id)")
        }
        do {
            return (try DistributionConfig(xml: response.body), etag)
        } catch {
            throw AWSResponseDecodingError(service: service.signingName, operation: "GetDistributionConfig", reason: "distribution \(id): \(error)")
        }
    }

    /// Replaces the whole configuration. `ifMatch` is the ETag the configuration was read with:
    /// CloudFront answers `PreconditionFailed` when someone changed it since.
    @discardableResult
    public func updateDistribution(id: String, config: DistributionConfig, ifMatch etag: String) async throws -> Distribution {
        let response = try await client.send(service: service, operation: "UpdateDistribution", method: .PUT,
                                             path: AWSURIEncoding.path([Self.apiVersion, "distribution", id, "config"]),
                                             headers: ["If-Match": etag, "Content-Type": "text/xml"], body: config.xmlBytes)
        return try distribution(from: response, operation: "UpdateDistribution")
    }

    public func getDistribution(id: String) async throws -> Distribution {
        let response = try await client.send(service: service, operation: "GetDistribution", method: .GET,
                                             path: AWSURIEncoding.path([Self.apiVersion, "distribution", id]))
        return try distribution(from: response, operation: "GetDistribution")
    }

    /// Creates a distribution (set-up and tests).
    public func createDistribution(config: DistributionConfig) async throws -> Distribution {
        let response = try await client.send(service: service, operation: "CreateDistribution", method: .POST,
                                             path: "/\(Self.apiVersion)/distribution", headers: ["Content-Type": "text/xml"], body: config.xmlBytes)
        return try distribution(from: response, operation: "CreateDistribution")
    }

    /// Every distribution of the account, a page at a time.
    public func listDistributions(maxItems: Int? = nil) -> PageSequence<[DistributionSummary]> {
        let client = self.client, service = self.service
        return PageSequence { marker in
            var query: [(name: String, value: String)] = []
            if let marker { query.append(("Marker", marker)) }
            if let maxItems { query.append(("MaxItems", String(maxItems))) }
            let response = try await client.send(service: service, operation: "ListDistributions", method: .GET,
                                                 path: "/\(Self.apiVersion)/distribution", query: query)
            let root: XMLElement
            do {
                root = try XMLDocument(bytes: response.body).root
            } catch {
                throw AWSResponseDecodingError(service: service.signingName, operation: "ListDistributions", reason: "\(error)")
            }
            let summaries = root.elements(at: ["Items", "DistributionSummary"]).map { item in
                DistributionSummary(id: item.child(named: "Id")?.text ?? "", status: item.child(named: "Status")?.text ?? "",
                                    domainName: item.child(named: "DomainName")?.text, comment: item.child(named: "Comment")?.text,
                                    originDomainNames: item.elements(at: ["Origins", "Items", "Origin", "DomainName"]).map(\.text))
            }
            let truncated = root.child(named: "IsTruncated")?.text == "true"
            return (summaries, truncated ? root.child(named: "NextMarker")?.text : nil)
        }
    }

    private func distribution(from response: AWSHTTPResponse, operation: String) throws -> Distribution {
        do {
            let root = try XMLDocument(bytes: response.body).root
            guard root.localName == "Distribution" else {
                throw AWSResponseDecodingError(service: service.signingName, operation: operation, reason: "expected <Distribution>, got <\(root.name)>")
            }
            return Distribution(element: root, etag: response.headers.first(name: "ETag"))
        } catch let error as AWSResponseDecodingError {
            throw error
        } catch {
            throw AWSResponseDecodingError(service: service.signingName, operation: operation, reason: "\(error)")
        }
    }
}
