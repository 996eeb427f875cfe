/// Whether the origin lets a request in with a given header value (testSecret's probe).
/// `HTTPOriginProbe` (module KeyRotationLive) is the real one; tests use one in memory.
public protocol OriginCheck: Sendable {
    /// The URL probed, for messages.
    var url: String { get }
    /// Sends one request with `value` in the header; `label` names the value in messages (e.g.
    /// "pending value"). Throws `RotationError.originTestFailed` when the answer proves nothing
    /// (no answer, a redirect, a server error).
    func probe(value: String, label: String) async throws(RotationError) -> OriginVerdict
}

/// What the origin did with a probe.
public enum OriginVerdict: Sendable, Equatable {
    /// Any answer below 300, or from 400 to 499 but 401 and 403: the header was accepted.
    case accepted(status: Int)
    /// 401 or 403: the header was refused.
    case rejected(status: Int)
}
