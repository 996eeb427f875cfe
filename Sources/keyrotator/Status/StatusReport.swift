import AWSServices
import Foundation

/// What `origin status` found: the secret's versions and where each distribution's origins
/// stand. Both the text table and `--json` print this model. Holds fingerprints, never values.
struct StatusReport: Encodable {
    struct Secret: Encodable {
        var name: String
        var arn: String
        var rotationEnabled: Bool
        var rotationFunction: String?
        var lastRotated: Date?
        var nextRotation: Date?
        var lastChanged: Date?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(arn, forKey: .arn)
            try c.encode(rotationEnabled, forKey: .rotationEnabled)
            try c.encode(rotationFunction, forKey: .rotationFunction)
            try c.encode(lastRotated, forKey: .lastRotated)
            try c.encode(nextRotation, forKey: .nextRotation)
            try c.encode(lastChanged, forKey: .lastChanged)
        }

        enum CodingKeys: String, CodingKey { case name, arn, rotationEnabled, rotationFunction, lastRotated, nextRotation, lastChanged }
    }

    struct Version: Encodable {
        var versionId: String
        var stages: [StagingLabel]
        /// Fingerprint of the value under the secret key name; nil when the version holds none.
        var fingerprint: String?
        var created: Date?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(versionId, forKey: .versionId)
            try c.encode(stages, forKey: .stages)
            try c.encode(fingerprint, forKey: .fingerprint)
            try c.encode(created, forKey: .created)
        }

        enum CodingKeys: String, CodingKey { case versionId, stages, fingerprint, created }
    }

    /// Which version's value an origin sends.
    enum Sends: String, Encodable {
        case current, pending, previous, unknown
        /// The origin does not carry the header.
        case none
    }

    struct Origin: Encodable {
        var id: String
        var domainName: String
        var sends: Sends
        var fingerprint: String?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(domainName, forKey: .domainName)
            try c.encode(sends, forKey: .sends)
            try c.encode(fingerprint, forKey: .fingerprint)
        }

        enum CodingKeys: String, CodingKey { case id, domainName, sends, fingerprint }
    }

    struct Distribution: Encodable {
        var id: String
        /// `InProgress` or `Deployed`.
        var status: String
        var domainName: String?
        var origins: [Origin]

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(status, forKey: .status)
            try c.encode(domainName, forKey: .domainName)
            try c.encode(origins, forKey: .origins)
        }

        enum CodingKeys: String, CodingKey { case id, status, domainName, origins }
    }

    struct Drift: Encodable, Equatable {
        enum Kind: String, Encodable {
            /// An origin sends a value that is neither AWSCURRENT nor AWSPENDING.
            case unexpectedValue
            /// No origin of the distribution sends the header.
            case headerMissing
        }

        var kind: Kind
        var distributionId: String
        var originId: String?
        var message: String

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(kind, forKey: .kind)
            try c.encode(distributionId, forKey: .distributionId)
            try c.encode(originId, forKey: .originId)
            try c.encode(message, forKey: .message)
        }

        enum CodingKeys: String, CodingKey { case kind, distributionId, originId, message }
    }

    var secret: Secret
    var secretKeyName: String
    var headerName: String
    var versions: [Version]
    var distributions: [Distribution]
    var drift: [Drift]
    /// True when there is no drift.
    var ok: Bool { drift.isEmpty }

    enum CodingKeys: String, CodingKey { case secret, secretKeyName, headerName, versions, distributions, drift, ok }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(secret, forKey: .secret)
        try c.encode(secretKeyName, forKey: .secretKeyName)
        try c.encode(headerName, forKey: .headerName)
        try c.encode(versions, forKey: .versions)
        try c.encode(distributions, forKey: .distributions)
        try c.encode(drift, forKey: .drift)
        try c.encode(ok, forKey: .ok)
    }
}
