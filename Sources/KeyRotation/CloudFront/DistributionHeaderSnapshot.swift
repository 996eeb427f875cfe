import AWSCore
public import AWSServices

/// What one distribution sends now: the secret header's value on each origin that carries it, and
/// the configuration as read with the ETag to write it back with.
public struct DistributionHeaderSnapshot: Sendable {
    public var distributionId: String
    /// Origin id and the header value it sends, for origins that carry the header.
    public var valuesByOrigin: [(originId: String, value: String)]
    public var config: DistributionConfig
    public var etag: String

    /// Reads `distributionId` and checks that at least one origin carries `headerName`. Throws,
    /// naming the distribution, when it cannot be read or no origin carries the header.
    static func read(_ distributionId: String, headerName: String, from cloudFront: CloudFrontClient) async throws -> DistributionHeaderSnapshot {
        let config: DistributionConfig, etag: String
        do {
            (config, etag) = try await cloudFront.getDistributionConfig(id: distributionId)
        } catch let error as AWSError where error.code == "NoSuchDistribution" {
            throw RotationError(.distributionNotReady, "Distribution \(distributionId) does not exist (check CLOUDFRONT_DISTRIBUTION_ID).")
        } catch let error as AWSError where error.code == "AccessDenied" {
            throw RotationError(.distributionNotReady, "Access denied reading distribution \(distributionId): the function's role needs cloudfront:GetDistributionConfig and cloudfront:UpdateDistribution on it.")
        }
        let lowered = headerName.lowercased()
        let values = config.origins.flatMap { origin in
            origin.customHeaders.filter { $0.name.lowercased() == lowered }.map { (originId: origin.id, value: $0.value) }
        }
        guard !values.isEmpty else {
            throw RotationError(.headerMissing, "No origin of distribution \(distributionId) sends the header \(headerName): add it as an origin custom header (with the current secret value) before rotating.")
        }
        return DistributionHeaderSnapshot(distributionId: distributionId, valuesByOrigin: values, config: config, etag: etag)
    }

    /// `distribution/origin` for each origin that does not send `value`.
    func originsNotSending(_ value: String) -> [String] {
        valuesByOrigin.filter { $0.value != value }.map { "\(distributionId)/\($0.originId)" }
    }
}
