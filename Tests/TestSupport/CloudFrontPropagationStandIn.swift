import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Makes CloudFront behind a `FaultProxy` behave as the real service does after an update:
/// `GetDistribution` reports `InProgress` for `inProgressFor` after each successful
/// `UpdateDistribution`, then `Deployed` (moto 5.2.1 reports `Deployed` at once). Records when
/// each distribution was updated and first reported `Deployed` again.
public final class CloudFrontPropagationStandIn: Sendable {
    public let inProgressFor: Duration
    private let state = StateBox()

    final class StateBox: Sendable {
        let mutex = Mutex<State>(State())
        func withLock<T>(_ body: (inout State) -> T) -> T { mutex.withLock { body(&$0) } }
    }

    struct State {
        var updatedAt: [String: ContinuousClock.Instant] = [:]
        var deployedAt: [String: ContinuousClock.Instant] = [:]
    }

    /// Installs the rules on `proxy`.
    public init(proxy: FaultProxy, inProgressFor: Duration) {
        self.inProgressFor = inProgressFor
        let state = self.state
        let inProgress = inProgressFor
        proxy.addRule(.init("propagation: record updates", when: .method("PUT") && .pathPrefix("/2020-05-31/distribution/"),
                            action: .forwardThenTransform { response in
                                if response.status == .ok, let id = Self.distributionId(response.body) {
                                    state.withLock { $0.updatedAt[id] = .now; $0.deployedAt[id] = nil }
                                }
                                return response
                            }))
        proxy.addRule(.init("propagation: report InProgress", when: .method("GET") && .pathPrefix("/2020-05-31/distribution/") && !FaultProxy.Match { $0.uri.hasSuffix("/config") },
                            action: .forwardThenTransform { response in
                                guard response.status == .ok, let id = Self.distributionId(response.body) else { return response }
                                var response = response
                                let propagating = state.withLock { s -> Bool in
                                    guard let updated = s.updatedAt[id], ContinuousClock.now < updated + inProgress else {
                                        if s.updatedAt[id] != nil, s.deployedAt[id] == nil { s.deployedAt[id] = .now }
                                        return false
                                    }
                                    return true
                                }
                                if propagating {
                                    var text = String(buffer: response.body)
                                    text = text.replacingOccurrences(of: "<Status>Deployed</Status>", with: "<Status>InProgress</Status>")
                                    response.body = ByteBuffer(string: text)
                                }
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
