import APIKeyRotation
import AWSCore
import AWSServices
import Foundation
import Logging
import Synchronization
import TestSupport

/// The API-key flow's figures, each beside a baseline in the style of APIGateway-API-Key-Auto-Rotation measured in the same run:
/// items read per sweep of a 100,000-item table with 1 % due (moto, auth on), and 500 rotations
/// through a stand-in that throttles at API Gateway's account rates.
@main
struct APIKeyBench {
    static func main() async throws {
        let arguments = CommandLine.arguments
        func value(_ name: String, _ fallback: Int) -> Int {
            arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil } ?? fallback
        }
        let items = value("--items", 100_000)
        let rotations = value("--rotations", 500)
        let latency = value("--latency-ms", 25)
        print("# API-key benchmark (\(items) items, 1 % due; \(rotations) rotations, \(latency) ms per API Gateway call)")
        try await sweepFigures(items: items)
        try await rotationFigures(rotations: rotations, latency: .milliseconds(latency))
    }

    // MARK: - Items read per sweep

    static func sweepFigures(items: Int) async throws {
        let moto = try await MotoServer.shared()
        let client = moto.client(timeout: .seconds(60))
        let due = max(1, items / 100)
        var rows: [(String, String, String)] = []
        for indexed in [true, false] {
            let table = "bench-\(indexed ? "indexed" : "seed")-\(UUID().uuidString.prefix(6))"
            let configuration = APIKeyRotationConfiguration(tableName: table)
            let dynamoDB = DynamoDBClient(client: client)
            try await dynamoDB.createTable(name: table, hashKey: "itemID", indexes: indexed ? DynamoDBKeyItemTable.indexDefinitions(configuration: configuration) : [])
            let started = ContinuousClock.now
            try await load(dynamoDB, table: table, items: items, due: due)
            FileHandle.standardError.write(Data("bench: loaded \(items) items into \(table) in \(format(ContinuousClock.now - started))\n".utf8))
            // The sweep's own reads, with API Gateway answered in memory (one plan, every key in it).
            let gateway = InMemoryAPIGateway()
            gateway.addPlan("plan-a")
            let sweeper = APIKeySweeper(configuration: configuration, store: gateway, table: DynamoDBKeyItemTable(dynamoDB: dynamoDB, configuration: configuration),
                                        queue: CountingQueue())
            let sweepStart = ContinuousClock.now
            let report = try await sweeper.sweep(deadline: .now + .seconds(3600), dryRun: true, logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() })
            let took = ContinuousClock.now - sweepStart
            let ratio = Double(report.read) / Double(due)
            rows.append((indexed ? "ours, with the indexes (Query)" : "ours, seed table (paginated Scan)",
                         "\(report.read) read, \(report.due) due found", String(format: "%.2fx the items with work (%@ against moto, debug build)", ratio, format(took))))
            if !indexed {
                // APIGateway-API-Key-Auto-Rotation's sweep: one Scan without pagination, then a filter in the function.
                let page = try await dynamoDB.scanPage(table: table)
                let cutoff = RotationTimestamp.string(from: Date().addingTimeInterval(-30 * 86400))
                let found = page.items.filter { ($0["updateTime"]?.stringValue ?? "9") < cutoff }.count
                rows.append(("APIGateway-API-Key-Auto-Rotation (one unpaginated Scan)", "\(page.scannedCount) read, \(found) due found",
                             "misses \(due - found) of \(due) due items (\(page.next == nil ? "one page" : "stops at the first 1 MB page"))"))
            }
        }
        print("\n## Items read per sweep: \(items) items, \(due) due (target: at most 1.1x the items with work, with the index)\n")
        print("| sweep | read | result |")
        print("| --- | --- | --- |")
        for row in rows { print("| \(row.0) | \(row.1) | \(row.2) |") }
    }

    static func load(_ dynamoDB: DynamoDBClient, table: String, items: Int, due: Int) async throws {
        let fresh = RotationTimestamp.string(from: Date().addingTimeInterval(-86400))
        let old = RotationTimestamp.string(from: Date().addingTimeInterval(-40 * 86400))
        let dueEvery = items / due
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                guard next < items else { return }
                let start = next
                next += 25
                group.addTask {
                    try await dynamoDB.batchPut(table: table, items: (start..<min(items, start + 25)).map { index in
                        ["itemID": .string(String(format: "item-%06d", index)), "APIGWKeyID": .string("key\(index)"), "usagePlanID": .string("plan-a"),
                         "updateTime": .string(index % dueEvery == 0 ? old : fresh), "APIKeyValue": .string("v\(index)")]
                    })
                }
            }
            for _ in 0..<8 { add() }
            while try await group.next() != nil { add() }
        }
    }

    // MARK: - Rotations at API Gateway's rates

    static func rotationFigures(rotations: Int, latency: Duration) async throws {
        print("\n## \(rotations) rotations through a stand-in throttling at API Gateway's rates (CreateApiKey/DeleteApiKey 5/s burst 5, all calls 10/s burst 40; \(format(latency)) per call)\n")
        print("| run | wall time | CreateApiKey/s (of 5) | failed rotations | throttled calls | keys lost | 10,000 keys, projected |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        let ours = try await oursRun(rotations: rotations, latency: latency)
        print(ours)
        let seed = try await seedRun(rotations: rotations, latency: latency)
        print(seed)
    }

    /// Our rotate functions: the default rates split across MAX_CONCURRENCY (2) functions, each
    /// taking batches of 10 queued messages (with the sweep's snapshot) at once.
    static func oursRun(rotations: Int, latency: Duration) async throws -> String {
        let throttle = APIGatewayThrottle()
        let gateway = InMemoryAPIGateway(throttle: throttle, latency: latency)
        let table = InMemoryKeyTable()
        let plan = gateway.addPlan("plan-a")
        let old = RotationTimestamp.string(from: Date().addingTimeInterval(-40 * 86400))
        var work: [WorkItem] = []
        for index in 0..<rotations {
            let key = gateway.addKey(plans: [plan])
            table.put(KeyItem(itemID: "item-\(index)", keyID: key, usagePlanID: plan, updateTime: old))
            work.append(WorkItem(action: .rotate, itemID: "item-\(index)", keyID: key, usagePlanID: plan, snapshot: KeySnapshot(plans: [plan])))
        }
        let rates = RateConfiguration()
        let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let queue = WorkQueueSim(work)
        let failures = FailureCount()
        let started = ContinuousClock.now
        let limiters = (0..<rates.maxConcurrency).map { _ in RateLimitedKeyStore(gateway, rates: rates, logger: logger) }
        let configuration = APIKeyRotationConfiguration(tableName: "bench")
        await withTaskGroup(of: Void.self) { functions in
            for store in limiters {
                let rotator = APIKeyRotator(configuration: configuration, store: store, table: table)
                functions.addTask {
                    while let batch = queue.next(10) {
                        await withTaskGroup(of: Void.self) { records in
                            for item in batch {
                                records.addTask {
                                    do { _ = try await rotator.perform(item, logger: logger) } catch { failures.add() }
                                }
                            }
                        }
                    }
                }
            }
        }
        let wall = ContinuousClock.now - started
        let creates = gateway.createTimes
        let rate = createRate(creates)
        let lost = table.allItems.filter { !gateway.hasKey($0.keyID ?? "") }.count
        let projected = 10_000 / max(rate, 0.001)
        return "| ours (2 functions x batches of 10, limiter \(rates.keyWritesPerSecond)/s keys, \(rates.callsPerSecond)/s calls) | \(format(wall)) | "
            + String(format: "%.2f (%.0f %%)", rate, rate / 5 * 100) + " | \(failures.value) | \(throttle.throttledCount) | \(lost) | \(format(.seconds(projected))) |"
    }

    /// APIGateway-API-Key-Auto-Rotation's rotation function invoked once per item, one after the other: delete the old key,
    /// create a new one, attach it; no limiter and no backoff (a throttled call fails the rotation).
    static func seedRun(rotations: Int, latency: Duration) async throws -> String {
        let throttle = APIGatewayThrottle()
        let gateway = InMemoryAPIGateway(throttle: throttle, latency: latency)
        let plan = gateway.addPlan("plan-a")
        let keys = (0..<rotations).map { _ in gateway.addKey(plans: [plan]) }
        var failed = 0, lost = 0
        let started = ContinuousClock.now
        for key in keys {
            do {
                _ = try await gateway.delete(keyID: key)
            } catch {
                failed += 1
                continue
            }
            do {
                let created = try await gateway.create(NewKey(name: "RotatedAPIKey", description: "", customerId: nil, tags: [:]))
                try await gateway.attach(keyID: created.key.id, toPlan: plan)
            } catch {
                failed += 1
                lost += 1
            }
        }
        let wall = ContinuousClock.now - started
        // Successful creates over the whole run (most calls fail, so first-to-last would say little).
        let rate = Double(gateway.createTimes.count) / wall.secondsValue
        let failedShare = Double(failed) / Double(max(1, rotations)) * 100
        return "| APIGateway-API-Key-Auto-Rotation (sequential loop, delete first, no limiter) | \(format(wall)) | " + String(format: "%.2f (%.0f %%)", rate, rate / 5 * 100)
            + " | \(failed) | \(throttle.throttledCount) | \(lost) | \(format(wall / max(1, rotations) * 10_000)), " + String(format: "%.0f %% of them failing", failedShare) + " |"
    }

    /// CreateApiKey calls per second between the first and the last.
    static func createRate(_ times: [ContinuousClock.Instant]) -> Double {
        guard let first = times.min(), let last = times.max(), times.count > 1 else { return 0 }
        return Double(times.count - 1) / (last - first).secondsValue
    }

    static func format(_ duration: Duration) -> String {
        let seconds = duration.secondsValue
        if seconds < 1 { return String(format: "%.0f ms", seconds * 1000) }
        if seconds < 120 { return String(format: "%.1f s", seconds) }
        return String(format: "%.0f min %.0f s", (seconds / 60).rounded(.down), seconds.truncatingRemainder(dividingBy: 60))
    }
}

/// The queue as the event source mapping hands it out: batches of up to `n` messages.
final class WorkQueueSim: Sendable {
    private let remaining: Mutex<[WorkItem]>
    init(_ work: [WorkItem]) { remaining = Mutex(work) }
    func next(_ n: Int) -> [WorkItem]? {
        remaining.withLock { work in
            guard !work.isEmpty else { return nil }
            let batch = Array(work.prefix(n))
            work.removeFirst(batch.count)
            return batch
        }
    }
}

/// A queue that only counts (the dry-run sweep sends nothing).
struct CountingQueue: WorkQueue {
    func send(_ items: [WorkItem]) async throws -> [Int] { [] }
}

/// Failed rotations, counted from concurrent tasks.
final class FailureCount: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

extension Duration {
    var secondsValue: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
