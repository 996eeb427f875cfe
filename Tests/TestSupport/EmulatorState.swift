public import AWSCore
public import AWSServices
import Foundation
import KeyMaterial

/// What the emulator holds for the resources a test names, read through the AWS APIs: each
/// secret's rotation setting, versions, labels and values; each distribution's configuration,
/// byte for byte; each table's items; each API key's name, state, value and plans. Values appear
/// only as fingerprints, so a failing comparison prints none. Two snapshots taken before and
/// after a bad input must be equal: it changed nothing in AWS.
public struct EmulatorState: Equatable, Sendable, CustomStringConvertible {
    public private(set) var entries: [String: String] = [:]

    /// Reads the named resources now.
    public static func capture(_ client: AWSClient, secrets: [String] = [], distributions: [String] = [], tables: [String] = [],
                               apiKeys: [String] = [], usagePlans: [String] = []) async throws -> EmulatorState {
        var state = EmulatorState()
        let secretsManager = SecretsManagerClient(client: client)
        for name in secrets {
            let described = try await secretsManager.describeSecret(secretId: name)
            state.entries["secret \(name) rotation"] = "\(described.rotationEnabled ?? false)"
            for (version, stages) in described.versionIdsToStages ?? [:] {
                let value: String
                do {
                    value = try await secretsManager.getSecretValue(secretId: name, versionId: version).secretString.map { "sha256:\(fingerprint($0))" } ?? "no value"
                } catch let error as AWSError where error.code == "ResourceNotFoundException" {
                    value = "no value"
                }
                state.entries["secret \(name) version \(version)"] = "\(stages.map(\.rawValue).sorted()) \(value)"
            }
        }
        let cloudFront = CloudFrontClient(client: client)
        for id in distributions {
            state.entries["distribution \(id)"] = "sha256:\(fingerprint(String(decoding: try await cloudFront.getDistributionConfig(id: id).config.xmlBytes, as: UTF8.self)))"
        }
        let dynamoDB = DynamoDBClient(client: client)
        for table in tables {
            for page in try await dynamoDB.scan(table: table, consistentRead: true).collect() {
                for item in page {
                    let key = item["itemID"].map { "\($0)" } ?? "?"
                    state.entries["table \(table) item \(fingerprint(key))"] = "sha256:\(fingerprint(Self.canonical(item)))"
                }
            }
        }
        let apiGateway = APIGatewayClient(client: client)
        for id in apiKeys {
            do {
                let key = try await apiGateway.getApiKey(id: id, includeValue: true)
                state.entries["api key \(id)"] = "\(key.name ?? "") \(key.enabled ?? false) \(key.customerId ?? "") sha256:\(fingerprint(key.value ?? ""))"
            } catch let error as AWSError where error.code == "NotFoundException" {
                state.entries["api key \(id)"] = "deleted"
            }
        }
        for plan in usagePlans {
            let keys = try await apiGateway.getUsagePlanKeys(usagePlanId: plan).collect().flatMap { $0 }.map(\.id).sorted()
            state.entries["usage plan \(plan) keys"] = keys.joined(separator: ",")
        }
        return state
    }

    /// The entries that differ between `self` and `other`, by name (fingerprints only).
    public func differences(from other: EmulatorState) -> [String] {
        Set(entries.keys).union(other.entries.keys).sorted().compactMap { name in
            entries[name] == other.entries[name] ? nil : "\(name): \(other.entries[name] ?? "absent") -> \(entries[name] ?? "absent")"
        }
    }

    public var description: String { "EmulatorState(\(entries.count) entries)" }

    /// One text per item, the same whatever order the attributes come in.
    private static func canonical(_ item: DynamoDBItem) -> String {
        item.keys.sorted().map { "\($0)=\(item[$0].map { "\($0)" } ?? "")" }.joined(separator: "\u{1F}")
    }
}
