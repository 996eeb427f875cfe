import Synchronization

/// The AWS SDKs' "standard" retry mode: up to `maxAttempts` attempts, exponential backoff with
/// full jitter capped at `maxBackoff`, a client-wide retry quota so that an outage does not turn
/// into a retry storm, and a fixed list of what is retryable.
public final class RetryPolicy: Sendable {
    public let maxAttempts: Int
    public let baseDelay: Duration
    public let maxBackoff: Duration
    private let quota: Mutex<Int>
    private static let quotaCapacity = 500
    private static let retryCost = 5
    private static let timeoutRetryCost = 10

    /// - Parameters:
    ///   - maxAttempts: total attempts including the first (standard mode: 3).
    ///   - baseDelay: the backoff unit; attempt `n` waits up to `baseDelay * 2^(n-1)`.
    ///   - maxBackoff: the cap on one wait (standard mode: 20 s).
    public init(maxAttempts: Int = 3, baseDelay: Duration = .seconds(1), maxBackoff: Duration = .seconds(20)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxBackoff = maxBackoff
        self.quota = Mutex(Self.quotaCapacity)
    }

    /// Standard mode, with `AWS_MAX_ATTEMPTS` honoured.
    public static func standard(environment: AWSEnvironment) -> RetryPolicy {
        let attempts = environment["AWS_MAX_ATTEMPTS"].flatMap(Int.init) ?? 3
        return RetryPolicy(maxAttempts: attempts)
    }

    /// What a failed attempt was, for the retry decision.
    public enum Failure: Sendable {
        case response(statusCode: Int, code: String)
        case transport(isTimeout: Bool)

        /// Whether the request may have taken effect: no answer came, or a 5xx did.
        public var mayHaveTakenEffect: Bool {
            switch self {
            case .transport: true
            case let .response(statusCode, _): statusCode >= 500
            }
        }
    }

    /// Error codes AWS documents as throttling.
    static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "EC2ThrottledException",
    ]
    /// Error codes AWS documents as transient.
    static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete", "InternalError",
        "InternalFailure", "ServiceUnavailable", "ServiceUnavailableException",
    ]

    /// Whether the failure is worth another attempt at all.
    public static func isRetryable(_ failure: Failure) -> Bool {
        switch failure {
        case .transport: return true
        case let .response(status, code):
            return throttlingCodes.contains(code) || transientCodes.contains(code) || status == 429 || [500, 502, 503, 504].contains(status)
        }
    }

    /// Whether the failure is throttling (which callers such as CloudFront updates may want to see).
    public static func isThrottling(_ failure: Failure) -> Bool {
        if case let .response(status, code) = failure { return throttlingCodes.contains(code) || status == 429 }
        return false
    }

    /// The wait before attempt `attempt + 1`, or nil to give up. Takes the retry cost from the quota.
    func delayBeforeRetry(after failure: Failure, attempt: Int) -> Duration? {
        guard attempt < maxAttempts, Self.isRetryable(failure) else { return nil }
        let cost: Int
        if case .transport(isTimeout: true) = failure { cost = Self.timeoutRetryCost } else { cost = Self.retryCost }
        let granted = quota.withLock { available -> Bool in
            guard available >= cost else { return false }
            available -= cost
            return true
        }
        guard granted else { return nil }
        let ceiling = min(baseDelay * Int(1 << min(attempt - 1, 20)), maxBackoff)
        return ceiling * Double.random(in: 0...1)
    }

    /// Returns quota after a success: the cost of the retry that led to it, or 1 for a first-try success.
    func recordSuccess(retried: Bool) {
        quota.withLock { available in
            available = min(Self.quotaCapacity, available + (retried ? Self.retryCost : 1))
        }
    }

    /// The quota left (for tests and diagnostics).
    public var availableQuota: Int { quota.withLock { $0 } }
}
