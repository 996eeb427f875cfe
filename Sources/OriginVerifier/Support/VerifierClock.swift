#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// The wall clock an `OriginVerifier` reads: cache ages, rate limits and the `AWSPREVIOUS` grace window
/// are all measured against it. Tests inject a clock they move by hand.
public struct VerifierClock: Sendable {
    /// The current time.
    public let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    /// The system clock.
    public static let system = VerifierClock { Date() }
}
