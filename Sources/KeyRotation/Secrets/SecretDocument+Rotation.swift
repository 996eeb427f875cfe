public import KeyMaterial

extension SecretDocument {
    /// Parses a `SecretString` of `secretId`; throws `RotationError.invalidSecret` when it is not a
    /// JSON object, saying where it stops being one (never what it holds).
    public init(secretString: String, secretId: String) throws(RotationError) {
        do {
            try self.init(parsing: secretString)
        } catch {
            throw RotationError(.invalidSecret, "Secret \(secretId) does not hold a JSON object (\(error)); KeyRotator stores {\"<SECRET_KEY_NAME>\": \"<value>\"}.")
        }
    }
}
