#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
/// What `DescribeSecret` reports about a secret.
public struct SecretDescription: Decodable, Sendable {
    public var arn: String
    public var name: String
    public var rotationEnabled: Bool?
    public var rotationLambdaARN: String?
    public var rotationRules: RotationRules?
    public var lastRotatedDate: Date?
    public var lastChangedDate: Date?
    public var nextRotationDate: Date?
    public var createdDate: Date?
    public var deletedDate: Date?
    /// Version id -> staging labels (`AWSCURRENT`, `AWSPENDING`, `AWSPREVIOUS`, custom ones).
    public var versionIdsToStages: [String: [StagingLabel]]?

    /// A description as `DescribeSecret` would answer it (for stand-ins and tests).
    public init(arn: String, name: String, rotationEnabled: Bool? = nil, rotationLambdaARN: String? = nil, rotationRules: RotationRules? = nil,
                lastRotatedDate: Date? = nil, lastChangedDate: Date? = nil, nextRotationDate: Date? = nil, createdDate: Date? = nil,
                deletedDate: Date? = nil, versionIdsToStages: [String: [StagingLabel]]? = nil) {
        self.arn = arn
        self.name = name
        self.rotationEnabled = rotationEnabled
        self.rotationLambdaARN = rotationLambdaARN
        self.rotationRules = rotationRules
        self.lastRotatedDate = lastRotatedDate
        self.lastChangedDate = lastChangedDate
        self.nextRotationDate = nextRotationDate
        self.createdDate = createdDate
        self.deletedDate = deletedDate
        self.versionIdsToStages = versionIdsToStages
    }

    enum CodingKeys: String, CodingKey {
        case arn = "ARN", name = "Name", rotationEnabled = "RotationEnabled", rotationLambdaARN = "RotationLambdaARN"
        case rotationRules = "RotationRules", lastRotatedDate = "LastRotatedDate", lastChangedDate = "LastChangedDate"
        case nextRotationDate = "NextRotationDate", createdDate = "CreatedDate", deletedDate = "DeletedDate"
        case versionIdsToStages = "VersionIdsToStages"
    }

    /// The version that carries `stage`, if any.
    public func version(withStage stage: StagingLabel) -> String? {
        versionIdsToStages?.first { $0.value.contains(stage) }?.key
    }

    /// The labels of `versionId`; empty when the secret has no such version.
    public func stages(of versionId: String) -> [StagingLabel] {
        versionIdsToStages?[versionId] ?? []
    }
}

/// A rotation schedule.
public struct RotationRules: Codable, Sendable, Equatable {
    public var automaticallyAfterDays: Int?
    public var duration: String?
    public var scheduleExpression: String?

    public init(automaticallyAfterDays: Int? = nil, duration: String? = nil, scheduleExpression: String? = nil) {
        self.automaticallyAfterDays = automaticallyAfterDays
        self.duration = duration
        self.scheduleExpression = scheduleExpression
    }

    enum CodingKeys: String, CodingKey {
        case automaticallyAfterDays = "AutomaticallyAfterDays", duration = "Duration", scheduleExpression = "ScheduleExpression"
    }
}

/// One version of a secret's value. `description` never shows the value.
public struct SecretValue: Decodable, Sendable, CustomStringConvertible {
    public var arn: String
    public var name: String
    public var versionId: String
    public var secretString: String?
    public var versionStages: [StagingLabel]
    public var createdDate: Date?

    enum CodingKeys: String, CodingKey {
        case arn = "ARN", name = "Name", versionId = "VersionId", secretString = "SecretString"
        case versionStages = "VersionStages", createdDate = "CreatedDate"
    }

    /// A value as `GetSecretValue` would answer it (for stand-ins and tests).
    public init(arn: String, name: String, versionId: String, secretString: String?, versionStages: [StagingLabel], createdDate: Date?) {
        self.arn = arn
        self.name = name
        self.versionId = versionId
        self.secretString = secretString
        self.versionStages = versionStages
        self.createdDate = createdDate
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        arn = try c.decode(String.self, forKey: .arn)
        name = try c.decode(String.self, forKey: .name)
        versionId = try c.decode(String.self, forKey: .versionId)
        secretString = try c.decodeIfPresent(String.self, forKey: .secretString)
        versionStages = try c.decodeIfPresent([StagingLabel].self, forKey: .versionStages) ?? []
        createdDate = try c.decodeIfPresent(Date.self, forKey: .createdDate)
    }

    public var description: String {
        "SecretValue(name: \(name), versionId: \(versionId), stages: \(versionStages), value: \(secretString == nil ? "none" : "<redacted>"))"
    }
}

/// One entry of `ListSecretVersionIds`.
public struct SecretVersion: Decodable, Sendable {
    public var versionId: String
    public var versionStages: [StagingLabel]
    public var createdDate: Date?
    public var lastAccessedDate: Date?

    enum CodingKeys: String, CodingKey {
        case versionId = "VersionId", versionStages = "VersionStages", createdDate = "CreatedDate", lastAccessedDate = "LastAccessedDate"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        versionId = try c.decode(String.self, forKey: .versionId)
        versionStages = try c.decodeIfPresent([StagingLabel].self, forKey: .versionStages) ?? []
        createdDate = try c.decodeIfPresent(Date.self, forKey: .createdDate)
        lastAccessedDate = try c.decodeIfPresent(Date.self, forKey: .lastAccessedDate)
    }
}

/// The answer of the write operations: which secret and version were touched.
public struct SecretVersionReference: Decodable, Sendable {
    public var arn: String?
    public var name: String?
    public var versionId: String?

    enum CodingKeys: String, CodingKey { case arn = "ARN", name = "Name", versionId = "VersionId" }
}
