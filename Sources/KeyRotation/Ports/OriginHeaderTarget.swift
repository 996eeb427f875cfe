public import Logging

/// Where the origin header's value is set: every origin of every distribution that carries the
/// header. `CloudFrontHeaderTarget` is the real one; tests use one in memory.
public protocol OriginHeaderTarget: Sendable {
    /// Reads every distribution and throws, naming it, when one cannot be read or no origin of it
    /// carries the header. Changes nothing.
    func checkUsable() async throws
    /// Origins (`distribution/origin`) that do not send `value`; empty when all do. Throws, naming the
    /// distribution, when one cannot be read or no origin of it carries the header.
    func originsNotSending(_ value: String) async throws -> [String]
    /// Makes every origin that carries the header send `value`, changing nothing else; validates
    /// every distribution before changing any. Returns the distributions it changed.
    @discardableResult
    func setHeader(to value: String, deadline: ContinuousClock.Instant, logger: Logger) async throws -> [String]
    /// Returns once every distribution has finished deploying; throws `RotationError.notDeployedInTime`
    /// when `deadline` comes first.
    func waitUntilDeployed(deadline: ContinuousClock.Instant, logger: Logger) async throws
}
