import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Makes CloudFront behind a `FaultProxy` behave as the real service does after an update:
/// `GetDistribution` reports `InProgress` for a while after each successful `UpdateDistribution`,
/// then `Deployed` (moto 5.2.1 reports `Deployed` at once). Records when each distribution was
/// updated and first reported `Deployed` again.
///
/// "A while" is either a duration (`inProgressFor`), or, for tests that must make the same calls
/// however loaded the machine is, a number of `GetDistribution` answers (`inProgressPolls`): then
/// every other answer says `Deployed`, whatever moto's own state says.
public final class CloudFrontPropagationStandIn: Sendable {
    /// How long a distribution reports `InProgress` after an update (zero when counted in polls).
    public let inProgressFor: Duration
    private let state = StateBox()

    enum Propagation: Sendable {
        case duration(Duration)
        case polls(Int)
    }

    final class StateBox: Sendable {
        let mutex = Mutex<State>(State())
        func withLock<T>(_ body: (inout State) -> T) -> T { mutex.withLock { body(&$0) } }
    }

    struct State {
        var updatedAt: [String: ContinuousClock.Instant] = [:]
        var deployedAt: [String: ContinuousClock.Instant] = [:]
        /// `GetDistribution` answers since the last update, per distribution.
        var pollsSinceUpdate: [String: Int] = [:]
    }

    /// Installs the rules on `proxy`: `InProgress` for `inProgressFor` after each update.
    public convenience init(proxy: FaultProxy, inProgressFor: Duration) {
        self.init(proxy: proxy, propagation: .duration(inProgressFor))
    }

    /// Installs the rules on `proxy`: the first `inProgressPolls` `GetDistribution` answers after each
    /// update say `InProgress`, every other one says `Deployed`.
    public convenience init(proxy: FaultProxy, inProgressPolls: Int) {
        self.init(proxy: proxy, propagation: .polls(inProgressPolls))
    }

    init(proxy: FaultProxy, propagation: Propagation) {
        if case .duration(let duration) = propagation { inProgressFor = duration } else { inProgressFor = .zero }
        let state = self.state
        proxy.addRule(.init("propagation: record updates", when: .method("PUT") && .pathPrefix("/2020-05-31/distribution/"),
                            action: .forwardThenTransform { response in
                                if response.status == .ok, let id = Self.distributionId(response.body) {
                                    state.withLock {
                                        $0.updatedAt[id] = .now
                                        $0.deployedAt[id] = nil
                                        $0.pollsSinceUpdate[id] = 0
                                    }
                                }
                                return response
                            }))
        proxy.addRule(.init("propagation: report InProgress", when: .method("GET") && .pathPrefix("/2020-05-31/distribution/") && !FaultProxy.Match { $0.uri.hasSuffix("/config") },
                            action: .forwardThenTransform { response in
                                guard response.status == .ok, let id = Self.distributionId(response.body) else { return response }
                                let propagating = state.withLock { s -> Bool in
                                    let polls = s.pollsSinceUpdate[id, default: 0]
                                    s.pollsSinceUpdate[id] = polls + 1
                                    let inProgress: Bool = switch propagation {
                                    case .duration(let duration): s.updatedAt[id].map { ContinuousClock.now < $0 + duration } ?? false
                                    case .polls(let count): s.updatedAt[id] != nil && polls < count
                                    }
                                    if !inProgress, s.updatedAt[id] != nil, s.deployedAt[id] == nil { s.deployedAt[id] = .now }
                                    return inProgress
                                }
                                var response = response
                                var text = String(buffer: response.body)
                                if propagating {
                                    text = text.replacingOccurrences(of: "<Status>Deployed</Status>", with: "<Status>InProgress</Status>")
                                } else if case .polls = propagation {
                                    text = text.replacingOccurrences(of: "<Status>InProgress</Status>", with: "<Status>Deployed</Status>")
                                } else {
                                    return response
                                }
                                response.body = ByteBuffer(string: text)
                                return response
                            }))
    }

    /// When the distribution was last updated through the proxy.
    public func updatedAt(_ id: String) -> ContinuousClock.Instant? { state.withLock { $0.updatedAt[id] } }

    /// When the distribution first reported `Deployed` after its last update.
    public func deployedAt(_ id: String) -> ContinuousClock.Instant? { state.withLock { $0.deployedAt[id] } }

    static func distributionId(_ body: ByteBuffer) -> String? {
        let text = String(buffer: body)
        guard let start = text.range(of: "<Id>"), let end = text.range(of: "</Id>", range: start.upperBound..<text.endIndex) else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }
}
