public import AWSCore
/// The Secrets Manager operations KeyRotator uses (AWS JSON 1.1).
public struct SecretsManagerClient: Sendable {
    public let client: AWSClient
    private var service: AWSService { .secretsManager }

    public init(client: AWSClient) { self.client = client }

    public func describeSecret(secretId: String) async throws -> SecretDescription {
        try await client.json(service: service, operation: "DescribeSecret", input: ["SecretId": secretId])
    }

    /// Reads a version by id, or by stage (`AWSCURRENT` when neither is given).
    public func getSecretValue(secretId: String, versionId: String? = nil, versionStage: StagingLabel? = nil) async throws -> SecretValue {
        var input = ["SecretId": secretId]
        input["VersionId"] = versionId
        // AWSCURRENT is the service's default; naming it keeps the answer right on emulators that
        // track a "default version" apart from the label (moto does).
        input["VersionStage"] = (versionStage ?? (versionId == nil ? .current : nil))?.rawValue
        return try await client.json(service: service, operation: "GetSecretValue", input: input)
    }

    /// Stores a new version. With a `clientRequestToken` already used for the same value this is a no-op.
    @discardableResult
    public func putSecretValue(secretId: String, clientRequestToken: String, secretString: String, versionStages: [StagingLabel]) async throws -> SecretVersionReference {
        struct Input: Encodable {
            var SecretId: String, ClientRequestToken: String, SecretString: String, VersionStages: [StagingLabel]
        }
        return try await client.json(service: service, operation: "PutSecretValue",
                                     input: Input(SecretId: secretId, ClientRequestToken: clientRequestToken, SecretString: secretString, VersionStages: versionStages))
    }

    /// Moves a staging label to `moveToVersionId` and/or removes it from `removeFromVersionId`.
    public func updateSecretVersionStage(secretId: String, versionStage: StagingLabel, moveToVersionId: String? = nil, removeFromVersionId: String? = nil) async throws {
        var input = ["SecretId": secretId, "VersionStage": versionStage.rawValue]
        input["MoveToVersionId"] = moveToVersionId
        input["RemoveFromVersionId"] = removeFromVersionId
        _ = try await client.jsonRaw(service: service, operation: "UpdateSecretVersionStage", input: input)
    }

    /// Every version of the secret, a page at a time.
    public func listSecretVersionIds(secretId: String, includeDeprecated: Bool = false, maxResults: Int? = nil) -> PageSequence<[SecretVersion]> {
        struct Input: Encodable { var SecretId: String, IncludeDeprecated: Bool, MaxResults: Int?, NextToken: String? }
        struct Output: Decodable { var Versions: [SecretVersion]?, NextToken: String? }
        let client = self.client, service = self.service
        return PageSequence { token in
            let output: Output = try await client.json(service: service, operation: "ListSecretVersionIds",
                                                       input: Input(SecretId: secretId, IncludeDeprecated: includeDeprecated, MaxResults: maxResults, NextToken: token))
            return (output.Versions ?? [], output.NextToken)
        }
    }

    @discardableResult
    public func createSecret(name: String, secretString: String, description: String? = nil, clientRequestToken: String? = nil) async throws -> SecretVersionReference {
        struct Input: Encodable { var Name: String, SecretString: String, Description: String?, ClientRequestToken: String? }
        return try await client.json(service: service, operation: "CreateSecret",
                                     input: Input(Name: name, SecretString: secretString, Description: description, ClientRequestToken: clientRequestToken))
    }

    /// Starts a rotation. Without a Lambda ARN the secret's configured rotation function is used.
    @discardableResult
    public func rotateSecret(secretId: String, clientRequestToken: String? = nil, rotationLambdaARN: String? = nil,
                             rotationRules: RotationRules? = nil, rotateImmediately: Bool? = nil) async throws -> SecretVersionReference {
        struct Input: Encodable {
            var SecretId: String, ClientRequestToken: String?, RotationLambdaARN: String?, RotationRules: RotationRules?, RotateImmediately: Bool?
        }
        return try await client.json(service: service, operation: "RotateSecret",
                                     input: Input(SecretId: secretId, ClientRequestToken: clientRequestToken, RotationLambdaARN: rotationLambdaARN,
                                                  RotationRules: rotationRules, RotateImmediately: rotateImmediately))
    }

    /// Turns rotation off for the secret (`RotationEnabled` false). A rotation under way keeps its
    /// `AWSPENDING` version; its remaining steps must change nothing.
    public func cancelRotateSecret(secretId: String) async throws {
        _ = try await client.jsonRaw(service: service, operation: "CancelRotateSecret", input: ["SecretId": secretId])
    }
}
