import AWSCore
import AWSServices
import Foundation
import KeyMaterial
import KeyRotation

/// Reads the secret and the distributions and builds a `StatusReport`; finds drift.
struct StatusInspector {
    let secretsManager: SecretsManagerClient
    let cloudFront: CloudFrontClient
    let secretId: String
    let secretKeyName: String
    let distributionIds: [String]
    let headerName: String

    init(client: AWSClient, secretId: String, secretKeyName: String, distributionIds: [String], headerName: String) {
        secretsManager = SecretsManagerClient(client: client)
        cloudFront = CloudFrontClient(client: client)
        self.secretId = secretId
        self.secretKeyName = secretKeyName
        self.distributionIds = distributionIds
        self.headerName = headerName
    }

    func report() async throws -> StatusReport {
        let description = try await secretsManager.describeSecret(secretId: secretId)
        let (versions, values) = try await versions(of: description)
        let byStage = { (stage: StagingLabel) in versions.first { $0.stages.contains(stage) }.flatMap { values[$0.versionId] } }
        let current = byStage(.current), pending = byStage(.pending), previous = byStage(.previous)

        var distributions: [StatusReport.Distribution] = []
        var drift: [StatusReport.Drift] = []
        for id in distributionIds {
            let distribution = try await inspectDistribution(id, current: current, pending: pending, previous: previous)
            distributions.append(distribution)
            if !distribution.origins.contains(where: { $0.sends != .none }) {
                drift.append(.init(kind: .headerMissing, distributionId: id, originId: nil,
                                   message: "distribution \(id): no origin sends the header \(headerName); add it as an origin custom header with the current value."))
            }
            for origin in distribution.origins where origin.sends == .previous || origin.sends == .unknown {
                let what = origin.sends == .previous ? "the AWSPREVIOUS value" : "a value that is neither AWSCURRENT nor AWSPENDING"
                drift.append(.init(kind: .unexpectedValue, distributionId: id, originId: origin.id,
                                   message: "distribution \(id) origin \(origin.id) sends \(what) (sha256:\(origin.fingerprint ?? "?")); it was changed outside the rotation."))
            }
        }
        let secret = StatusReport.Secret(name: description.name, arn: description.arn, rotationEnabled: description.rotationEnabled ?? false,
                                         rotationFunction: description.rotationLambdaARN.flatMap { $0.isEmpty ? nil : $0 },
                                         lastRotated: description.lastRotatedDate, nextRotation: description.nextRotationDate,
                                         lastChanged: description.lastChangedDate)
        return StatusReport(secret: secret, secretKeyName: secretKeyName, headerName: headerName, versions: versions,
                            distributions: distributions, drift: drift)
    }

    /// The versions that carry a staging label, current first, each with its value's fingerprint;
    /// and the values by version id, to compare with what origins send (never printed).
    private func versions(of description: SecretDescription) async throws -> ([StatusReport.Version], [String: String]) {
        var result: [StatusReport.Version] = []
        var values: [String: String] = [:]
        for (versionId, stages) in description.versionIdsToStages ?? [:] {
            var version = StatusReport.Version(versionId: versionId, stages: stages.sorted(by: Self.stageOrder), fingerprint: nil, created: nil)
            do {
                let value = try await secretsManager.getSecretValue(secretId: description.arn, versionId: versionId)
                version.created = value.createdDate
                if let text = value.secretString, let key = try? SecretDocument(secretString: text, secretId: secretId).value(forKey: secretKeyName) {
                    version.fingerprint = fingerprint(key)
                    values[versionId] = key
                }
            } catch let error as AWSError where error.code == "ResourceNotFoundException" {
                // A version staged by RotateSecret before createSecret stored its value.
            }
            result.append(version)
        }
        let sorted = result.sorted { lhs, rhs in
            let l = Self.rank(lhs.stages), r = Self.rank(rhs.stages)
            return l != r ? l < r : (lhs.created ?? .distantPast) > (rhs.created ?? .distantPast)
        }
        return (sorted, values)
    }

    private func inspectDistribution(_ id: String, current: String?, pending: String?, previous: String?) async throws -> StatusReport.Distribution {
        let distribution: AWSServices.Distribution
        let config: DistributionConfig
        do {
            distribution = try await cloudFront.getDistribution(id: id)
            config = try await cloudFront.getDistributionConfig(id: id).config
        } catch let error as AWSError where error.code == "NoSuchDistribution" {
            throw CLIError(.awsOrConfiguration, "distribution \(id) not found: check --distribution-id (or CLOUDFRONT_DISTRIBUTION_ID).")
        }
        let origins = config.origins.map { origin -> StatusReport.Origin in
            guard let header = origin.customHeaders.first(where: { $0.name.lowercased() == headerName.lowercased() }) else {
                return StatusReport.Origin(id: origin.id, domainName: origin.domainName, sends: .none, fingerprint: nil)
            }
            let sent = header.value
            let sends: StatusReport.Sends = sent == current ? .current : sent == pending ? .pending : sent == previous ? .previous : .unknown
            return StatusReport.Origin(id: origin.id, domainName: origin.domainName, sends: sends, fingerprint: fingerprint(sent))
        }
        return StatusReport.Distribution(id: id, status: distribution.status, domainName: distribution.domainName, origins: origins)
    }

    private static func rank(_ stages: [StagingLabel]) -> Int {
        stages.map { [StagingLabel.current, .pending, .previous].firstIndex(of: $0) ?? 3 }.min() ?? 4
    }

    private static func stageOrder(_ a: StagingLabel, _ b: StagingLabel) -> Bool {
        let l = rank([a]), r = rank([b])
        return l != r ? l < r : a.rawValue < b.rawValue
    }
}
