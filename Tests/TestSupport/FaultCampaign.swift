public import NIOHTTP1
import Synchronization

/// Faults at a steady rate on every request a `FaultProxy` forwards, drawn from a seeded
/// generator (the same seed makes the same decisions), of every kind a long-running rotation
/// meets: a 500 or 503 in the service's own error shape, the service's own throttling error, an
/// answer slower than the client's timeout (the change may still happen), a reset before the
/// request reaches the service, a reset after it took effect (the answer is lost), and
/// CloudFront's `PreconditionFailed` on a configuration write. Counts what it injected.
public final class FaultCampaign: Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case serverError, throttling, slowerThanTimeout, resetBefore, resetAfter, preconditionFailed
    }

    private struct State {
        var random: FaultProxy.SplitMix64
        var requests = 0
        var injected: [Kind: Int] = [:]
    }

    public let rate: Double
    private let slowDelay: Duration
    private let state: Mutex<State>

    /// Installs the campaign as `proxy`'s handler (rules added to the proxy still come first).
    /// `slowDelay` must exceed the client's per-attempt timeout.
    public init(proxy: FaultProxy, rate: Double, seed: UInt64, slowDelay: Duration) {
        self.rate = rate
        self.slowDelay = slowDelay
        state = Mutex(State(random: FaultProxy.SplitMix64(seed: seed)))
        proxy.setRule { [self] request in decide(request) }
    }

    /// Requests seen and faults injected, by kind.
    public var counts: (requests: Int, injected: [Kind: Int]) { state.withLock { ($0.requests, $0.injected) } }

    /// One line for a test's log: requests, faults and their kinds.
    public var summary: String {
        let (requests, injected) = counts
        let kinds = Kind.allCases.map { "\($0.rawValue) \(injected[$0] ?? 0)" }.joined(separator: ", ")
        return "\(requests) requests, \(injected.values.reduce(0, +)) faults (\(kinds))"
    }

    private func decide(_ request: FaultProxy.Request) -> FaultProxy.Action {
        let wire = Self.wireProtocol(request)
        let isConfigWrite = request.method == .PUT && request.path.hasSuffix("/config")
        let kinds = Kind.allCases.filter { $0 != .preconditionFailed || isConfigWrite }
        let kind: Kind? = state.withLock { state in
            state.requests += 1
            guard Double(state.random.next() >> 11) / Double(1 << 53) < rate else { return nil }
            let kind = kinds[Int(state.random.next() % UInt64(kinds.count))]
            state.injected[kind, default: 0] += 1
            return kind
        }
        switch kind {
        case nil: return .forward
        case .serverError?:
            return request.sequenceNumber % 2 == 0 ? .serviceUnavailable(wire)
                : .awsError(.internalServerError, code: "InternalFailure", message: "The request processing has failed", wire)
        case .throttling?: return .throttling(wire)
        case .slowerThanTimeout?: return .delay(slowDelay)
        case .resetBefore?: return .resetConnection
        case .resetAfter?: return .forwardThenReset
        case .preconditionFailed?:
            return .awsError(.preconditionFailed, code: "PreconditionFailed", message: "The If-Match version is missing or not valid for the resource.", .xml)
        }
    }

    /// How the service a request is for encodes its errors.
    static func wireProtocol(_ request: FaultProxy.Request) -> FaultProxy.WireProtocol {
        if request.target != nil { return .json }
        if request.path.hasPrefix("/2020-05-31/") { return .xml }
        return .restJSON
    }
}
