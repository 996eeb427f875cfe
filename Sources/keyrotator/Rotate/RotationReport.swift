import Foundation

/// What `origin rotate` did: how the rotation ran, how it ended and where the secret stands.
struct RotationReport: Encodable {
    enum Mode: String, Encodable {
        /// Secrets Manager ran the rotation function (RotateSecret), the CLI followed it.
        case service
        /// The CLI ran the four steps itself (`--run-steps-here`).
        case here
    }

    enum Outcome: String, Encodable { case rotated, failed, timedOut }

    struct Phase: Encodable {
        var name: String
        var seconds: Double
    }

    struct DistributionState: Encodable {
        var id: String
        var status: String
    }

    var secretId: String
    var mode: Mode
    var token: String?
    var outcome: Outcome
    var elapsedSeconds: Double
    var phases: [Phase]
    /// Fingerprint of the value now AWSCURRENT (null when it could not be read).
    var currentFingerprint: String?
    var distributions: [DistributionState]
    var message: String?

    enum CodingKeys: String, CodingKey { case secretId, mode, token, outcome, elapsedSeconds, phases, currentFingerprint, distributions, message }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(secretId, forKey: .secretId)
        try c.encode(mode, forKey: .mode)
        try c.encode(token, forKey: .token)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(elapsedSeconds, forKey: .elapsedSeconds)
        try c.encode(phases, forKey: .phases)
        try c.encode(currentFingerprint, forKey: .currentFingerprint)
        try c.encode(distributions, forKey: .distributions)
        try c.encode(message, forKey: .message)
    }

    var text: String {
        var lines: [String] = []
        let seconds = String(format: "%.1f", elapsedSeconds)
        switch outcome {
        case .rotated: lines.append("Rotated \(secretId) in \(seconds)s (\(mode == .here ? "steps run here" : "by Secrets Manager")).")
        case .failed: lines.append("Rotation of \(secretId) FAILED after \(seconds)s.")
        case .timedOut: lines.append("Rotation of \(secretId) did NOT finish within \(seconds)s.")
        }
        if let token { lines.append("Version   \(token)") }
        if let currentFingerprint { lines.append("Current   sha256:\(currentFingerprint)") }
        if !phases.isEmpty {
            lines.append("Steps     " + phases.map { "\($0.name) \(String(format: "%.1f", $0.seconds))s" }.joined(separator: ", "))
        }
        if !distributions.isEmpty {
            lines.append("CloudFront " + distributions.map { "\($0.id) \($0.status)" }.joined(separator: ", "))
        }
        if let message { lines.append(message) }
        return lines.joined(separator: "\n")
    }
}
