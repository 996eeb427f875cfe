import AWSCore
import AWSServices
import Foundation
import KeyRotation
import Synchronization
import TestSupport

/// Secrets Manager in memory, as the rotation steps see it: versions with values and labels, a
/// label on one version at a time, `ResourceNotFoundException` for what does not exist, and a
/// record of every change, so that a test can say what a step did and did not do.
final class InMemorySecretStore: SecretVersionStore {
    struct Version {
        var secretString: String?
        var stages: [StagingLabel]
        var createdDate: Date
    }

    struct State {
        var rotationEnabled: Bool
        var versions: [String: Version] = [:]
        var lastChangedDate = Date(timeIntervalSince1970: 1_700_000_000)
        /// Every mutating call, as `PutSecretValue <token>` or `UpdateSecretVersionStage <label> ...`.
        var changes: [String] = []
        /// When set, `LastChangedDate` and the pending version's `CreatedDate` read back as the instant
        /// of the read: as if every read came right after the last change, however long the steps
        /// before it took on a loaded machine.
        var changesReadAsJustMade = false
    }

    let name: String
    let state: Mutex<State>

    init(name: String = "origin-secret", rotationEnabled: Bool = true, current: String = #"{"HTTP_API_KEY":"CurrentValue0000000000000000000"}"#) {
        self.name = name
        var initial = State(rotationEnabled: rotationEnabled)
        initial.versions["v-current"] = Version(secretString: current, stages: [.current], createdDate: Date(timeIntervalSince1970: 1_600_000_000))
        state = Mutex(initial)
    }

    /// What `RotateSecret` does before it invokes `createSecret`: a version labelled `AWSPENDING`, without a value.
    func stagePending(token: String) {
        state.withLock { $0.versions[token] = Version(secretString: nil, stages: [.pending], createdDate: Date()) }
    }

    var changes: [String] { state.withLock { $0.changes } }

    func stages(of versionId: String) -> [StagingLabel] { state.withLock { $0.versions[versionId]?.stages ?? [] } }

    private func notFound(_ operation: String) -> AWSError {
        AWSError(service: "secretsmanager", operation: operation, statusCode: 400, code: "ResourceNotFoundException", message: "not found", requestId: nil)
    }

    func describeSecret(secretId: String) async throws -> SecretDescription {
        guard secretId == name else { throw notFound("DescribeSecret") }
        return state.withLock { state in
            SecretDescription(arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:\(name)", name: name, rotationEnabled: state.rotationEnabled,
                              lastChangedDate: state.changesReadAsJustMade ? Date() : state.lastChangedDate, versionIdsToStages: state.versions.mapValues(\.stages))
        }
    }

    func getSecretValue(secretId: String, versionId: String?, versionStage: StagingLabel?) async throws -> SecretValue {
        guard secretId == name else { throw notFound("GetSecretValue") }
        let stage = versionStage ?? (versionId == nil ? .current : nil)
        let found = state.withLock { state -> (String, Version, Bool)? in
            state.versions.first { id, version in
                (versionId == nil || id == versionId) && (stage == nil || version.stages.contains(stage!)) && version.secretString != nil
            }.map { ($0.key, $0.value, state.changesReadAsJustMade) }
        }
        guard let (id, version, justMade) = found else { throw notFound("GetSecretValue") }
        return SecretValue(arn: "arn:\(name)", name: name, versionId: id, secretString: version.secretString, versionStages: version.stages,
                           createdDate: justMade && version.stages.contains(.pending) ? Date() : version.createdDate)
    }

    func storeSecretValue(secretId: String, clientRequestToken: String, secretString: String, versionStages: [StagingLabel]) async throws {
        TestOutputArchive.recordGeneratedValues(in: secretString, kind: "in-memory-secrets-manager")
        state.withLock { state in
            for id in state.versions.keys { state.versions[id]?.stages.removeAll { versionStages.contains($0) && id != clientRequestToken } }
            state.versions[clientRequestToken] = Version(secretString: secretString, stages: versionStages, createdDate: Date())
            state.lastChangedDate = Date()
            state.changes.append("PutSecretValue \(clientRequestToken)")
        }
    }

    func updateSecretVersionStage(secretId: String, versionStage: StagingLabel, moveToVersionId: String?, removeFromVersionId: String?) async throws {
        state.withLock { state in
            if let removeFromVersionId { state.versions[removeFromVersionId]?.stages.removeAll { $0 == versionStage } }
            if let moveToVersionId {
                for id in state.versions.keys { state.versions[id]?.stages.removeAll { $0 == versionStage } }
                state.versions[moveToVersionId]?.stages.append(versionStage)
                if versionStage == .current, let removeFromVersionId { state.versions[removeFromVersionId]?.stages.append(.previous) }
            }
            state.changes.append("UpdateSecretVersionStage \(versionStage) to:\(moveToVersionId ?? "-") from:\(removeFromVersionId ?? "-")")
        }
    }
}
