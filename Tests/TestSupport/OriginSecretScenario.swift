public import AWSCore
public import AWSServices
import Foundation
import KeyMaterial

/// A secret and its CloudFront distributions, set up in the emulator as a user would have them
/// before the first rotation: the secret holds `{"HTTP_API_KEY": <value>, ...}` and every origin
/// of every distribution sends that value in the header.
public struct OriginSecretScenario: Sendable, CustomStringConvertible {
    public let secretName: String
    public let distributionIds: [String]
    public let headerName: String
    /// The value before the rotation (a random test value; never print it).
    public let initialValue: String
    /// The configurations as the emulator held them right after set-up.
    public let initialConfigs: [String: DistributionConfig]

    public init(secretName: String, distributionIds: [String], headerName: String, initialValue: String, initialConfigs: [String: DistributionConfig]) {
        self.secretName = secretName
        self.distributionIds = distributionIds
        self.headerName = headerName
        self.initialValue = initialValue
        self.initialConfigs = initialConfigs
    }

    /// Creates the secret and `distributions` distributions with `originsPerDistribution` origins each.
    public static func make(_ client: AWSClient, distributions: Int = 1, originsPerDistribution: Int = 2, everyOptionalBlock: Bool = true,
                            headerName: String = "x-origin-verify", headerOnOrigins: Bool = true) async throws -> OriginSecretScenario {
        let name = "kr-origin-\(UUID().uuidString.prefix(8))"
        let value = String((0..<32).map { _ in "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".randomElement()! })
        try await SecretsManagerClient(client: client).createSecret(name: name, secretString: #"{"HTTP_API_KEY":"\#(value)","keep":"this","n":7}"#)
        let cloudFront = CloudFrontClient(client: client)
        var ids: [String] = []
        var configs: [String: DistributionConfig] = [:]
        for d in 0..<distributions {
            let origins = (0..<originsPerDistribution).map { o in
                CloudFrontFixtures.Origin(id: "origin-\(d)-\(o)", domainName: "api\(o).d\(d).internal.example.com",
                                          headers: headerOnOrigins ? [(o % 2 == 0 ? headerName : headerName.uppercased(), value), ("X-Unrelated", "stays-\(o)")] : [("X-Unrelated", "stays")])
            }
            let id = try await CloudFrontFixtures.createDistribution(cloudFront, origins: origins, everyOptionalBlock: everyOptionalBlock)
            ids.append(id)
            configs[id] = try await cloudFront.getDistributionConfig(id: id).config
        }
        return OriginSecretScenario(secretName: name, distributionIds: ids, headerName: headerName, initialValue: value, initialConfigs: configs)
    }

    /// Starts a rotation the way Secrets Manager does just before it invokes `createSecret`:
    /// `RotateSecret` with a schedule and a function moto does not know, which leaves the token's
    /// version staged `AWSPENDING` with no value. Returns the token.
    public func startRotation(_ client: AWSClient) async throws -> String {
        let token = UUID().uuidString
        do {
            try await SecretsManagerClient(client: client).rotateSecret(
                secretId: secretName, clientRequestToken: token,
                rotationLambdaARN: "arn:aws:lambda:us-east-1:123456789012:function:keyrotator-not-deployed",
                rotationRules: RotationRules(automaticallyAfterDays: 30))
        } catch let error as AWSError where error.code == "ResourceNotFoundException" {
            // moto could not invoke the (absent) function: the pending version is in place.
        }
        return token
    }

    /// Removes `AWSPENDING` from the finished version, as the real service does, so that the
    /// emulator accepts another `RotateSecret`.
    public func clearPendingLabel(_ client: AWSClient, version: String) async throws {
        try await SecretsManagerClient(client: client).updateSecretVersionStage(secretId: secretName, versionStage: "AWSPENDING", removeFromVersionId: version)
    }

    /// What a failing expectation prints for a scenario: the initial value as a fingerprint only.
    public var description: String {
        "OriginSecretScenario(secret: \(secretName), distributions: \(distributionIds), header: \(headerName), initial: sha256:\(fingerprint(initialValue)))"
    }

    /// The rotation function's environment for this scenario (the names amazon-cloudfront-api-key-rotator uses). Without verifiers in
    /// the test, `verifierCacheTTL` is 0: setSecret need not wait for any cache to expire.
    public func environment(originURL: String? = nil, verifierCacheTTL: Double = 0, verifierWaitMargin: Double = 0) -> [String: String] {
        var env = ["CLOUDFRONT_DISTRIBUTION_ID": distributionIds.joined(separator: ","), "HEADER_NAME": headerName,
                   "DEPLOY_POLL_INTERVAL_SECONDS": "0.05", "DEPLOY_WAIT_MARGIN_SECONDS": "0.5",
                   "VERIFIER_CACHE_TTL_SECONDS": "\(verifierCacheTTL)", "VERIFIER_WAIT_MARGIN_SECONDS": "\(verifierWaitMargin)"]
        env["ORIGIN_URL"] = originURL
        return env
    }
}
