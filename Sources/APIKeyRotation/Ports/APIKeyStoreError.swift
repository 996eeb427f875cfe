/// Failures of a key store the rotation reacts to.
public enum APIKeyStoreError: Error, Sendable, Equatable {
    /// API Gateway refused the call for its rate (`TooManyRequestsException`).
    case throttled(operation: String)
    /// The account holds as many keys as API Gateway allows in the Region.
    case keyLimitReached
    /// The usage plan does not exist.
    case planNotFound(String)
}
