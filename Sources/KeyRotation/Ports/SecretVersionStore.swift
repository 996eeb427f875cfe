public import AWSServices

/// What the rotation needs of Secrets Manager: read the secret's labels and versions, store a
/// version, move a label. `SecretsManagerClient` is the real one; tests use one in memory.
///
/// Errors are the service's: a version or secret that does not exist is an `AWSError` with code
/// `ResourceNotFoundException`.
public protocol SecretVersionStore: Sendable {
    /// `DescribeSecret`: rotation settings, dates and every version's labels.
    func describeSecret(secretId: String) async throws -> SecretDescription
    /// `GetSecretValue` of a version (by id, by label, or both).
    func getSecretValue(secretId: String, versionId: String?, versionStage: StagingLabel?) async throws -> SecretValue
    /// `PutSecretValue`: stores `secretString` as the version `clientRequestToken` with `versionStages`.
    func storeSecretValue(secretId: String, clientRequestToken: String, secretString: String, versionStages: [StagingLabel]) async throws
    /// `UpdateSecretVersionStage`: moves `versionStage` to `moveToVersionId` and/or removes it from `removeFromVersionId`.
    func updateSecretVersionStage(secretId: String, versionStage: StagingLabel, moveToVersionId: String?, removeFromVersionId: String?) async throws
}

extension SecretsManagerClient: SecretVersionStore {
    public func storeSecretValue(secretId: String, clientRequestToken: String, secretString: String, versionStages: [StagingLabel]) async throws {
        _ = try await putSecretValue(secretId: secretId, clientRequestToken: clientRequestToken, secretString: secretString, versionStages: versionStages)
    }
}
