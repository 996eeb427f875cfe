extension OriginVerifier {
    /// What an `OriginVerifier` checks and how it caches. Defaults suit an origin behind CloudFront.
    public struct Configuration: Sendable, Equatable {
        /// The secret's name or ARN.
        public var secretId: String
        /// The field of the secret's JSON holding the header value (amazon-cloudfront-api-key-rotator's `SECRET_KEY_NAME`).
        public var secretKeyName: String
        /// The request header carrying the value, lower-case (amazon-cloudfront-api-key-rotator's `HEADER_NAME`).
        public var headerName: String
        /// How long a loaded key ring is used before it is refreshed.
        public var cacheTTL: Duration
        /// How long `AWSPREVIOUS` stays valid after it stopped being `AWSCURRENT`: longer than CloudFront
        /// takes to bring every edge to the new value.
        public var previousGracePeriod: Duration
        /// An unknown value refreshes the ring early at most this often, so a spray of wrong values cannot
        /// become a Secrets Manager call per request.
        public var earlyRefreshInterval: Duration
        /// After a failed refresh, the next attempt waits at least this long.
        public var failureRetryInterval: Duration
        /// How long past its TTL a ring keeps serving while Secrets Manager fails (stale-if-error).
        /// Past it, every request is denied until a refresh succeeds.
        public var staleIfErrorPeriod: Duration
        /// The longest one key ring load may take in all, retries included; also the longest a request
        /// waits for a load. Keep it well below the function's timeout.
        public var refreshTimeout: Duration
        /// At most one rejection log line per this interval (the others are counted in it).
        public var rejectionLogInterval: Duration
        /// Debug logging requested (`DEBUG_MODE=1`, as in the secure authorizer); the host sets its logger's level.
        public var debugMode: Bool

        public init(secretId: String, secretKeyName: String = "HTTP_API_KEY", headerName: String = "x-origin-verify",
                    cacheTTL: Duration = .seconds(60), previousGracePeriod: Duration = .seconds(30 * 60),
                    earlyRefreshInterval: Duration = .seconds(5), failureRetryInterval: Duration = .seconds(5),
                    staleIfErrorPeriod: Duration = .seconds(15 * 60), refreshTimeout: Duration = .seconds(5),
                    rejectionLogInterval: Duration = .seconds(10),
                    debugMode: Bool = false) {
            self.secretId = secretId
            self.secretKeyName = secretKeyName
            self.headerName = headerName.lowercased()
            self.cacheTTL = cacheTTL
            self.previousGracePeriod = previousGracePeriod
            self.earlyRefreshInterval = earlyRefreshInterval
            self.failureRetryInterval = failureRetryInterval
            self.staleIfErrorPeriod = staleIfErrorPeriod
            self.refreshTimeout = refreshTimeout
            self.rejectionLogInterval = rejectionLogInterval
            self.debugMode = debugMode
        }
    }
}
