#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AWSCore

/// Settings of the CloudFront origin-secret rotation, with the names and defaults of the Python
/// function it replaces so that it is a drop-in.
public struct CloudFrontRotationConfiguration: Sendable, Equatable {
    /// `CLOUDFRONT_DISTRIBUTION_ID`: one id or a comma-separated list.
    public var distributionIds: [String]
    /// `HEADER_NAME` (default `x-origin-verify`), matched case-insensitively.
    public var headerName: String
    /// `ORIGIN_URL`: probed by testSecret when set.
    public var originURL: String?
    /// `SECRET_KEY_NAME` (default `HTTP_API_KEY`): the JSON key holding the value.
    public var secretKeyName: String
    /// `SECRET_KEY_LENGTH` (default 32).
    public var secretKeyLength: Int
    /// `ORIGIN_PROBE_TIMEOUT_SECONDS` (default 5): one probe's time limit.
    public var probeTimeout: Duration
    /// `DEPLOY_WAIT_MARGIN_SECONDS` (default 10): time kept back from the invocation deadline
    /// when finishSecret waits for `Deployed`, so the step can still fail cleanly.
    public var deadlineMargin: Duration
    /// `ORIGIN_CA_FILE`: a PEM file of CAs to trust besides the system's when probing an HTTPS origin.
    public var originCAFile: String?
    /// `DEPLOY_POLL_INTERVAL_SECONDS` (default 2): the first wait between `Deployed` polls; it doubles up to 20 s.
    public var deployPollInterval: Duration
    /// `VERIFIER_CACHE_TTL_SECONDS` (default 60, the authorizer's `CACHE_TTL_SECONDS` default): the
    /// longest any verifier of the secret caches its key ring. setSecret changes no distribution until
    /// the pending version has existed this long (plus `verifierWaitMargin`), so that no edge sends
    /// the new value to a verifier that cannot know it yet. Must be at least every verifier's TTL.
    public var verifierCacheTTL: Duration
    /// `VERIFIER_WAIT_MARGIN_SECONDS` (default 5): added to `verifierCacheTTL` for clock skew between
    /// the function, Secrets Manager and the verifiers.
    public var verifierWaitMargin: Duration

    public init(distributionIds: [String], headerName: String = "x-origin-verify", originURL: String? = nil,
                secretKeyName: String = "HTTP_API_KEY", secretKeyLength: Int = 32,
                probeTimeout: Duration = .seconds(5), deadlineMargin: Duration = .seconds(10), deployPollInterval: Duration = .seconds(2), originCAFile: String? = nil,
                verifierCacheTTL: Duration = .seconds(60), verifierWaitMargin: Duration = .seconds(5)) {
        self.distributionIds = distributionIds
        self.headerName = headerName
        self.originURL = originURL
        self.secretKeyName = secretKeyName
        self.secretKeyLength = secretKeyLength
        self.probeTimeout = probeTimeout
        self.deadlineMargin = deadlineMargin
        self.deployPollInterval = deployPollInterval
        self.originCAFile = originCAFile
        self.verifierCacheTTL = verifierCacheTTL
        self.verifierWaitMargin = verifierWaitMargin
    }

    /// Reads the configuration from environment variables; each problem names its variable.
    public init(environment: [String: String]) throws(RotationError) {
        func value(_ name: String) -> String? {
            guard let v = environment[name]?.trimmingWhitespace(), !v.isEmpty else { return nil }
            return v
        }
        guard let ids = value("CLOUDFRONT_DISTRIBUTION_ID") else {
            throw RotationError(.invalidConfiguration, "CLOUDFRONT_DISTRIBUTION_ID is not set: give the id of the distribution (or a comma-separated list) whose origins send the secret header.")
        }
        let list = ids.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        guard !list.isEmpty, list.allSatisfy({ $0.allSatisfy { $0.isLetter || $0.isNumber } }) else {
            throw RotationError(.invalidConfiguration, "CLOUDFRONT_DISTRIBUTION_ID must be distribution ids separated by commas (e.g. E2QWRUHAPOMQZL,E1A2B3C4D5E6F7).")
        }
        let header = value("HEADER_NAME") ?? "x-origin-verify"
        guard header.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: ":") }) else {
            throw RotationError(.invalidConfiguration, "HEADER_NAME '\(header)' is not a valid HTTP header name.")
        }
        let lengthText = value("SECRET_KEY_LENGTH") ?? "32"
        guard let length = Int(lengthText), (16...1024).contains(length) else {
            throw RotationError(.invalidConfiguration, "SECRET_KEY_LENGTH must be a whole number from 16 to 1024; got '\(lengthText)'.")
        }
        var originURL: String? = nil
        if let url = value("ORIGIN_URL") {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil else {
                throw RotationError(.invalidConfiguration, "ORIGIN_URL must be an http:// or https:// URL; got '\(url)'.")
            }
            originURL = url
        }
        func seconds(_ name: String, default fallback: Int, allowZero: Bool = false) throws(RotationError) -> Duration {
            guard let text = value(name) else { return .seconds(fallback) }
            guard let n = Double(text), allowZero ? n >= 0 : n > 0, n <= 3600 else {
                throw RotationError(.invalidConfiguration, "\(name) must be a number of seconds from \(allowZero ? "0" : "more than 0") to 3600; got '\(text)'.")
            }
            return .milliseconds(Int(n * 1000))
        }
        self.init(distributionIds: list, headerName: header, originURL: originURL, secretKeyName: value("SECRET_KEY_NAME") ?? "HTTP_API_KEY",
                  secretKeyLength: length, probeTimeout: try seconds("ORIGIN_PROBE_TIMEOUT_SECONDS", default: 5),
                  deadlineMargin: try seconds("DEPLOY_WAIT_MARGIN_SECONDS", default: 10),
                  deployPollInterval: try seconds("DEPLOY_POLL_INTERVAL_SECONDS", default: 2), originCAFile: value("ORIGIN_CA_FILE"),
                  verifierCacheTTL: try seconds("VERIFIER_CACHE_TTL_SECONDS", default: 60, allowZero: true),
                  verifierWaitMargin: try seconds("VERIFIER_WAIT_MARGIN_SECONDS", default: 5, allowZero: true))
    }
}
