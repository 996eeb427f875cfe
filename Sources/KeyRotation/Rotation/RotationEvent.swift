/// The event Secrets Manager sends a rotation function.
public struct RotationEvent: Decodable, Sendable, Equatable {
    public var step: RotationStep
    public var secretId: String
    public var clientRequestToken: String
    /// Present when Secrets Manager rotates through a separate rotation token (optional).
    public var rotationToken: String?

    public init(step: RotationStep, secretId: String, clientRequestToken: String, rotationToken: String? = nil) {
        self.step = step
        self.secretId = secretId
        self.clientRequestToken = clientRequestToken
        self.rotationToken = rotationToken
    }

    enum CodingKeys: String, CodingKey {
        case step = "Step", secretId = "SecretId", clientRequestToken = "ClientRequestToken", rotationToken = "RotationToken"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let rawStep = try c.decode(String.self, forKey: .step)
        guard let step = RotationStep(rawValue: rawStep) else {
            throw DecodingError.dataCorruptedError(forKey: .step, in: c, debugDescription: "Step must be one of createSecret, setSecret, testSecret, finishSecret")
        }
        self.step = step
        secretId = try c.decode(String.self, forKey: .secretId)
        clientRequestToken = try c.decode(String.self, forKey: .clientRequestToken)
        rotationToken = try c.decodeIfPresent(String.self, forKey: .rotationToken)
        guard !secretId.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: .secretId, in: c, debugDescription: "SecretId must not be empty")
        }
        guard !clientRequestToken.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: .clientRequestToken, in: c, debugDescription: "ClientRequestToken must not be empty")
        }
    }
}

/// The four steps of a Secrets Manager rotation, in order.
public enum RotationStep: String, Codable, Sendable, CaseIterable {
    case createSecret, setSecret, testSecret, finishSecret
}
