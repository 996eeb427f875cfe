import Foundation

/// What `origin revoke` did: the rotation, which version lost its last label, and until when
/// something may still accept the revoked value.
struct RevocationReport: Encodable {
    struct Flush: Encodable {
        var restApiId: String
        var stage: String
        var at: Date
    }

    var rotation: RotationReport
    /// The version that was AWSCURRENT when the command started: the compromised value.
    var revokedVersionId: String
    var revokedFingerprint: String?
    /// The version AWSPREVIOUS was removed from (the revoked one, unless it had already lost the label).
    var previousRemovedFrom: String?
    /// Where the verifier's cache TTL and stale-if-error period come from: the authorizer function's name, or `defaults`.
    var verifierSettingsFrom: String
    var verifierCacheTTLSeconds: Int
    var staleIfErrorSeconds: Int
    /// When every verifier has refreshed and refuses the revoked value.
    var verifiersRefuseBy: Date?
    /// Until when a verifier that cannot reach Secrets Manager may accept it (its stale-if-error period).
    var verifiersFailingToRefreshMayAllowUntil: Date?
    /// The REST API stage whose authorizer cache was flushed, once the verifiers refused the value.
    var flushed: Flush?
    /// Until when an API Gateway result cache that was not flushed may still allow the value.
    var unflushedCachesMayAllowUntil: Date?
    /// Until when any API Gateway result cache, flushed or not, may allow it if a verifier cannot refresh.
    var cachesMayAllowUntilIfVerifiersFail: Date?
    var authorizerResultTTLSeconds: Int
    var message: String?

    var revoked: Bool { verifiersRefuseBy != nil }

    enum CodingKeys: String, CodingKey {
        case rotation, revoked, revokedVersionId, revokedFingerprint, previousRemovedFrom, verifierSettingsFrom, verifierCacheTTLSeconds,
             staleIfErrorSeconds, verifiersRefuseBy, verifiersFailingToRefreshMayAllowUntil, flushed, unflushedCachesMayAllowUntil,
             cachesMayAllowUntilIfVerifiersFail, authorizerResultTTLSeconds, message
    }

    /// Every key is present (null when empty), so scripts can rely on the shape.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rotation, forKey: .rotation)
        try c.encode(revoked, forKey: .revoked)
        try c.encode(revokedVersionId, forKey: .revokedVersionId)
        try c.encode(revokedFingerprint, forKey: .revokedFingerprint)
        try c.encode(previousRemovedFrom, forKey: .previousRemovedFrom)
        try c.encode(verifierSettingsFrom, forKey: .verifierSettingsFrom)
        try c.encode(verifierCacheTTLSeconds, forKey: .verifierCacheTTLSeconds)
        try c.encode(staleIfErrorSeconds, forKey: .staleIfErrorSeconds)
        try c.encode(verifiersRefuseBy, forKey: .verifiersRefuseBy)
        try c.encode(verifiersFailingToRefreshMayAllowUntil, forKey: .verifiersFailingToRefreshMayAllowUntil)
        try c.encode(flushed, forKey: .flushed)
        try c.encode(unflushedCachesMayAllowUntil, forKey: .unflushedCachesMayAllowUntil)
        try c.encode(cachesMayAllowUntilIfVerifiersFail, forKey: .cachesMayAllowUntilIfVerifiersFail)
        try c.encode(authorizerResultTTLSeconds, forKey: .authorizerResultTTLSeconds)
        try c.encode(message, forKey: .message)
    }

    var text: String {
        var lines = [rotation.text]
        let revoked = "sha256:\(revokedFingerprint ?? "?") (version \(revokedVersionId))"
        guard let verifiersRefuseBy else {
            lines.append("NOT revoked: \(revoked) is still accepted. \(message ?? "Fix the rotation and run revoke again.")")
            return lines.joined(separator: "\n")
        }
        let removal = switch previousRemovedFrom {
        case nil: "it held no label"
        case revokedVersionId: "AWSPREVIOUS removed"
        case let other?: "AWSPREVIOUS removed from \(other), which had replaced it"
        }
        lines.append("Revoked   \(revoked): \(removal); no staging label accepts it.")
        let source = verifierSettingsFrom == "defaults" ? "--verifier-cache-ttl and the verifier's defaults" : "read from \(verifierSettingsFrom)"
        lines.append("Verifiers refuse it at their next refresh, by \(Self.time(verifiersRefuseBy)) at the latest (cache TTL \(verifierCacheTTLSeconds) s, \(source)).")
        if let flushed {
            lines.append("REST API \(flushed.restApiId) stage \(flushed.stage): authorizer cache flushed at \(Self.time(flushed.at)), after the verifiers dropped the value; it holds no Allow for it.")
        }
        if let until = unflushedCachesMayAllowUntil {
            lines.append("An API Gateway result cache not flushed here (every HTTP API's; a REST API's without --rest-api-id and --stage) may allow it until \(Self.time(until)) (the result TTL, \(authorizerResultTTLSeconds) s, after the verifiers refuse it).")
        }
        if let failing = verifiersFailingToRefreshMayAllowUntil, let caches = cachesMayAllowUntilIfVerifiersFail {
            var line = "A verifier that cannot reach Secrets Manager keeps its last key ring for its stale-if-error period (\(staleIfErrorSeconds) s): it may allow it until \(Self.time(failing)), and a result cache until \(Self.time(caches))"
            if let flushed {
                line += "; if Secrets Manager was unreachable, flush again after \(Self.time(failing)): aws apigateway flush-stage-authorizers-cache --rest-api-id \(flushed.restApiId) --stage-name \(flushed.stage)"
            }
            lines.append(line + ".")
        }
        lines.append("Edges still sending the old value are refused from now on, until CloudFront has propagated the new one: that is the point of a revocation.")
        if let message { lines.append(message) }
        return lines.joined(separator: "\n")
    }

    static func time(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
