public import AsyncHTTPClient
import AWSCore
import KeyMaterial
import NIOCore
import NIOHTTP1
import Synchronization

/// Steady traffic from the edges to the origin: each request carries the header value its edge
/// sends at that moment, and the origin's answer is recorded.
public final class TrafficGenerator: Sendable {
    /// One request and the origin's verdict. `fingerprint` identifies the value sent, never the value.
    public struct Sample: Sendable, Codable {
        /// When the answer arrived, in milliseconds since the traffic's start.
        public var elapsedMilliseconds: Int
        /// When the edge chose the value and sent the request, in milliseconds since the traffic's start.
        public var sentMilliseconds: Int
        public var edge: Int
        public var fingerprint: String
        public var status: Int
        public var accepted: Bool { (200..<300).contains(status) }
        public var rejected: Bool { status == 401 || status == 403 }
    }

    public let originURL: String
    public let fleet: EdgeFleet
    public let requestsPerSecond: Int
    /// How long one request may take before it counts as failed (status 0).
    public let requestTimeout: Duration
    private let httpClient: HTTPClient
    private let samples = Mutex<[Sample]>([])

    public init(originURL: String, fleet: EdgeFleet, requestsPerSecond: Int = 50, requestTimeout: Duration = .seconds(20),
                httpClient: HTTPClient = .shared) {
        self.originURL = originURL
        self.fleet = fleet
        self.requestsPerSecond = max(1, requestsPerSecond)
        self.requestTimeout = requestTimeout
        self.httpClient = httpClient
    }

    /// Sends requests from every edge in turn at the configured rate until cancelled.
    public func run(startedAt start: ContinuousClock.Instant) async {
        let interval = Duration.seconds(1) / requestsPerSecond
        var next = ContinuousClock.now
        var counter = 0
        // A discarding group: finished requests are not kept, however long the traffic runs.
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let edge = counter % fleet.lags.count
                counter += 1
                group.addTask { await self.send(edge: edge, start: start) }
                next += interval
                try? await Task.sleep(until: next, clock: .continuous)
            }
        }
    }

    private func send(edge: Int, start: ContinuousClock.Instant) async {
        let sent = ContinuousClock.now
        guard let value = fleet.value(edge: edge, at: sent) else { return }
        var request = HTTPClientRequest(url: originURL)
        request.headers.add(name: fleet.headerName, value: value)
        let status: Int
        do {
            let response = try await httpClient.execute(request, timeout: TimeAmount(requestTimeout))
            _ = try? await response.body.collect(upTo: 1 << 16)
            status = Int(response.status.code)
        } catch {
            // A request cut short because the traffic is being stopped says nothing about the origin.
            if Task.isCancelled { return }
            status = 0
        }
        func milliseconds(_ instant: ContinuousClock.Instant) -> Int { Int((instant - start) / .milliseconds(1)) }
        let sample = Sample(elapsedMilliseconds: milliseconds(.now), sentMilliseconds: milliseconds(sent), edge: edge, fingerprint: fingerprint(value),
                            status: status)
        samples.withLock { $0.append(sample) }
    }

    /// Every request so far, in completion order.
    public var results: [Sample] { samples.withLock { $0 } }
}
