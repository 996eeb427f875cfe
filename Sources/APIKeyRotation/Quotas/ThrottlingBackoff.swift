/// Exponential backoff with full jitter for API Gateway's `TooManyRequestsException`, on top of
/// the AWS client's own retries: a throttled call waits and tries again, up to `maxAttempts`.
public struct ThrottlingBackoff: Sendable {
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 8, baseDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(8)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The wait before attempt `attempt + 1` (attempts count from 1).
    public func delay(after attempt: Int) -> Duration {
        let ceiling = min(baseDelay * Int(1 << min(attempt - 1, 16)), maxDelay)
        return ceiling * Double.random(in: 0.5...1)
    }
}
