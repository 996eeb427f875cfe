// Measures the in-process cost of OriginVerifier.verify() on a warm key ring (p50/p99) and counts the
// Secrets Manager calls 10,000 verifications make in one cache window, against moto (auth on) through a
// counting proxy.
//
//     swift run -c release VerifierBench [--iterations N]
import AWSServices
import Foundation
import Logging
import OriginVerifier
import TestSupport

func percentile(_ sorted: [Duration], _ p: Double) -> Duration {
    sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

func microseconds(_ duration: Duration) -> String {
    String(format: "%.2f µs", duration / .microseconds(1))
}

func randomValue() -> String {
    String((0..<32).map { _ in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".randomElement() ?? "x" })
}

@main
enum VerifierBench {
    /// Sorted durations of `iterations` sequential verifications of `value`.
    static func measure(_ verifier: OriginVerifier, _ value: String, _ iterations: Int) async -> [Duration] {
        let clock = ContinuousClock()
        var samples: [Duration] = []
        samples.reserveCapacity(iterations)
        for _ in 0..<iterations {
            let start = clock.now
            _ = await verifier.verify(headerValue: value)
            samples.append(clock.now - start)
        }
        return samples.sorted()
    }

    static func main() async throws {
        let arguments = CommandLine.arguments
        let iterations = arguments.firstIndex(of: "--iterations").flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil } ?? 100_000

        let moto = try await MotoServer.shared()
        let proxy = try await FaultProxy.start(upstream: moto)
        let admin = SecretsManagerClient(client: moto.client())
        let name = "bench-\(UUID().uuidString)"
        let previous = randomValue(), current = randomValue()
        try await admin.createSecret(name: name, secretString: #"{"HTTP_API_KEY":"\#(previous)"}"#)
        let token = UUID().uuidString
        try await admin.putSecretValue(secretId: name, clientRequestToken: token, secretString: #"{"HTTP_API_KEY":"\#(current)"}"#, versionStages: ["AWSPENDING"])
        let old = try await admin.describeSecret(secretId: name).version(withStage: "AWSCURRENT")
        try await admin.updateSecretVersionStage(secretId: name, versionStage: "AWSCURRENT", moveToVersionId: token, removeFromVersionId: old)
        try await admin.updateSecretVersionStage(secretId: name, versionStage: "AWSPENDING", removeFromVersionId: token)

        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let verifier = OriginVerifier(configuration: .init(secretId: name),
                                      secretsManager: SecretsManagerClient(client: moto.client(endpoint: proxy.endpoint)), logger: logger)

        // 1. Calls per cache window: 10,000 concurrent verifications from a cold start (the load included),
        //    a mix of current, previous and wrong values.
        let window = ContinuousClock.now
        let allowed = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var allowed = 0
                    for index in 0..<1_250 {
                        let value = switch (worker * 1_250 + index) % 10 { case 0..<6: current; case 6..<9: previous; default: "wrong-value" }
                        if await verifier.verify(headerValue: value).isAllowed { allowed += 1 }
                    }
                    return allowed
                }
            }
            var total = 0
            for await allowed in group { total += allowed }
            return total
        }
        let windowTime = ContinuousClock.now - window
        print("window: 10000 verifications (60% current, 30% previous, 10% wrong) in \(windowTime), \(allowed) allowed")
        print("window: GetSecretValue=\(proxy.count(.target("GetSecretValue"))) DescribeSecret=\(proxy.count(.target("DescribeSecret"))) total calls=\(proxy.requestCount)")

        // 2. In-process latency on the warm ring, one verification at a time, measured off the main actor
        //    (from the main actor every await would also pay two thread hops).
        for (label, value) in [("current", current), ("previous", previous), ("wrong", "wrong-value")] {
            let samples = await Task.detached { await measure(verifier, value, iterations) }.value
            print("latency \(label): n=\(iterations) p50=\(microseconds(percentile(samples, 0.50))) p99=\(microseconds(percentile(samples, 0.99))) "
                + "p99.9=\(microseconds(percentile(samples, 0.999))) max=\(microseconds(samples[samples.count - 1]))")
        }

        // 3. Throughput with 8 concurrent callers.
        let concurrentStart = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask { for _ in 0..<(iterations / 8) { _ = await verifier.verify(headerValue: current) } }
            }
        }
        let concurrentTime = ContinuousClock.now - concurrentStart
        let seconds = concurrentTime / .seconds(1)
        print("concurrent: \(iterations) verifications on 8 tasks in \(concurrentTime) (\(Int(Double(iterations) / seconds)) per second)")
        print("totals: GetSecretValue=\(proxy.count(.target("GetSecretValue"))) DescribeSecret=\(proxy.count(.target("DescribeSecret"))) metrics=\(verifier.metrics)")
        try await proxy.shutdown()
        exit(0)
    }
}
