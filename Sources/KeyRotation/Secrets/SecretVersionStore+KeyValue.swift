#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import AWSCore
public import AWSServices
import KeyMaterial

/// What one version of a secret holds under a JSON key.
public enum SecretKeyLookup: Sendable, Equatable {
    /// The version does not exist or holds no value yet.
    case noValue
    /// The version holds a JSON object without a string under the key.
    case missingKey
    /// The string under the key, and when the version was created.
    case value(String, createdDate: Date?)
}

extension SecretVersionStore {
    /// Reads one version of a secret (by id, by stage, or both) and looks up `key` in its JSON.
    /// Throws `RotationError.invalidSecret` when the value is not a JSON object, and
    /// `RotationError.versionNotPending` when `stage` is no longer on `versionId`.
    public func lookUpKey(_ key: String, secretId: String, versionId: String? = nil, stage: StagingLabel? = nil) async throws -> SecretKeyLookup {
        let value: SecretValue
        do {
            value = try await getSecretValue(secretId: secretId, versionId: versionId, versionStage: stage)
        } catch let error as AWSError where error.code == "ResourceNotFoundException" && (versionId != nil || (stage ?? .current) != .current) {
            return .noValue
        } catch let error as AWSError where error.code == "InvalidRequestException" && versionId != nil && stage != nil {
            // The label moved off the version after the caller saw it there (another rotation began).
            throw RotationError(.versionNotPending, "Version \(versionId ?? "") of secret \(secretId) is no longer staged \(stage?.rawValue ?? ""): another rotation moved the label while this one ran; this one stops here. Run `keyrotator origin status` to see which version is pending now.")
        }
        guard let text = value.secretString else { return .noValue }
        guard let found = try SecretDocument(secretString: text, secretId: secretId).value(forKey: key) else { return .missingKey }
        return .value(found, createdDate: value.createdDate)
    }

    /// The string under `key` in one version of a secret, or nil when there is none.
    public func keyValue(_ key: String, secretId: String, versionId: String? = nil, stage: StagingLabel? = nil) async throws -> String? {
        if case let .value(value, _) = try await lookUpKey(key, secretId: secretId, versionId: versionId, stage: stage) { return value }
        return nil
    }
}
