public import AWSServices
/// Why a key ring could not be loaded or a verifier configured. Messages name what to fix and never
/// contain a secret value.
public enum OriginVerifierError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A required environment variable is missing or empty.
    case missingEnvironment(variable: String)
    /// An environment variable holds something that is not a valid setting.
    case invalidEnvironment(variable: String, expected: String)
    /// The secret has no version labelled `AWSCURRENT`.
    case noCurrentVersion(secretId: String)
    /// A version holds `SecretBinary` only, or no value at all.
    case noSecretString(secretId: String, versionId: String, stage: StagingLabel)
    /// A version's `SecretString` is not a JSON object.
    case notJSON(secretId: String, versionId: String, stage: StagingLabel, keyName: String)
    /// A version's JSON has no non-empty string under the configured key.
    case keyMissing(secretId: String, versionId: String, stage: StagingLabel, keyName: String)
    /// Secrets Manager failed or could not be reached; `reason` is the AWS error, which never holds a value.
    case secretsManager(secretId: String, reason: String)
    /// A key ring load did not finish within `REFRESH_TIMEOUT_SECONDS`, retries included.
    case refreshTimedOut(secretId: String, after: Duration)

    public var code: String {
        switch self {
        case .missingEnvironment: "MissingEnvironment"
        case .invalidEnvironment: "InvalidEnvironment"
        case .noCurrentVersion: "NoCurrentVersion"
        case .noSecretString: "NoSecretString"
        case .notJSON: "SecretNotJSON"
        case .keyMissing: "SecretKeyMissing"
        case .secretsManager: "SecretsManagerFailed"
        case .refreshTimedOut: "RefreshTimedOut"
        }
    }

    public var description: String {
        switch self {
        case .missingEnvironment(let variable):
            "\(code): set the environment variable \(variable)"
        case .invalidEnvironment(let variable, let expected):
            "\(code): \(variable) must be \(expected)"
        case .noCurrentVersion(let secretId):
            "\(code): secret \(secretId) has no version labelled AWSCURRENT; store a value with PutSecretValue"
        case .noSecretString(let secretId, let versionId, let stage):
            "\(code): secret \(secretId) version \(versionId) (\(stage.rawValue)) has no SecretString; "
                + "store a JSON object such as {\"HTTP_API_KEY\": \"...\"}"
        case .notJSON(let secretId, let versionId, let stage, let keyName):
            "\(code): secret \(secretId) version \(versionId) (\(stage.rawValue)) is not a JSON object; "
                + "store {\"\(keyName)\": \"...\"} as the rotator writes it"
        case .keyMissing(let secretId, let versionId, let stage, let keyName):
            "\(code): secret \(secretId) version \(versionId) (\(stage.rawValue)) has no non-empty string field \"\(keyName)\"; "
                + "set SECRET_KEY_NAME to the field holding the header value, or store {\"\(keyName)\": \"...\"}"
        case .secretsManager(let secretId, let reason):
            "\(code): reading secret \(secretId) failed: \(reason); check the network path and that the role may call "
                + "secretsmanager:DescribeSecret and secretsmanager:GetSecretValue on it"
        case .refreshTimedOut(let secretId, let after):
            "\(code): reading secret \(secretId) took longer than \(after / .seconds(1)) s (REFRESH_TIMEOUT_SECONDS); "
                + "check the network path to Secrets Manager (a VPC endpoint or NAT) and its health"
        }
    }
}
