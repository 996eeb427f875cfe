import Synchronization

/// A stand-in for API Gateway's authorizer result cache: answers are cached per identity-source
/// value (here the origin header's value), Allow and Deny alike, for a TTL, for every caller of the
/// stage. One Deny of a value the verifier did not know yet refuses every request carrying it until
/// the entry expires: the hazard the rotator's setSecret wait exists to avoid.
public final class AuthorizerResultCache: Sendable {
    /// `authorizerResultTtlInSeconds` (API Gateway's default is 300 s, at most 3,600).
    public let ttl: Duration
    private let entries = Mutex<[String: Entry]>([:])
    private let tallies = Mutex(Tallies())

    private struct Entry {
        let allowed: Bool
        let expiresAt: ContinuousClock.Instant
    }

    /// What the cache has done so far.
    public struct Tallies: Sendable, Equatable {
        /// Answers taken from the cache without calling the authorizer.
        public var hits = 0
        /// Calls to the authorizer.
        public var misses = 0
        /// Requests refused by a cached Deny.
        public var cachedDenials = 0
    }

    public init(ttl: Duration) {
        self.ttl = ttl
    }

    /// The cached answer for `value`, or the authorizer's (which is then cached).
    public func isAllowed(_ value: String, authorize: () async -> Bool) async -> Bool {
        let now = ContinuousClock.now
        let cached = entries.withLock { entries -> Bool? in
            guard let entry = entries[value], entry.expiresAt > now else { return nil }
            return entry.allowed
        }
        if let cached {
            tallies.withLock {
                $0.hits += 1
                if !cached { $0.cachedDenials += 1 }
            }
            return cached
        }
        tallies.withLock { $0.misses += 1 }
        let allowed = await authorize()
        entries.withLock { $0[value] = Entry(allowed: allowed, expiresAt: .now + ttl) }
        return allowed
    }

    public var counts: Tallies { tallies.withLock { $0 } }
}
