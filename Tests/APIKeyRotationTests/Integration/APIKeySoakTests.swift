import APIKeyRotation
import AWSCore
import AWSServices
import Foundation
import Logging
import Synchronization
import Testing
import TestSupport

/// Soak: 1,000 API-key rotations and then their retirements while 20 % of the rotator's AWS calls
/// fail in every way (5xx, throttling, answers past the client's timeout, resets before and after
/// the call took effect), each failed unit of work redelivered as SQS would, eight at a time as
/// the queue's concurrency allows. Every item must end naming a live key in all its plans, every
/// old key retired, and no key left that no item names. Run by `scripts/test.sh` after the suite
/// (`KEYROTATOR_SOAK=1`); prints its figures.
@Suite(.serialized, .timeLimit(.minutes(40))) struct APIKeySoakTests {
    static let enabled = ProcessInfo.processInfo.environment["KEYROTATOR_SOAK"] == "1"
    static let items = Int(ProcessInfo.processInfo.environment["KEYROTATOR_SOAK_KEYS"] ?? "") ?? 1000

    /// Performs every unit of work, `concurrency` at a time, redelivering a failed one up to 20
    /// times; returns the deliveries made and the failures seen, by error code.
    static func performAll(_ work: [WorkItem], rotator: APIKeyRotator, concurrency: Int) async -> (deliveries: Int, failures: [String: Int], unfinished: [String]) {
        let logger = Logger(label: "soak")
        let results = await withTaskGroup(of: (Int, [String], String?).self) { group in
            var iterator = work.makeIterator()
            func addNext() {
                guard let unit = iterator.next() else { return }
                group.addTask {
                    var failures: [String] = []
                    for delivery in 1...20 {
                        do {
                            _ = try await rotator.perform(unit, logger: logger)
                            return (delivery, failures, nil)
                        } catch let error as APIKeyRotationError {
                            failures.append(error.code.rawValue)
                        } catch let error as AWSError {
                            failures.append("AWS.\(error.code)")
                        } catch let error as AWSTransportError {
                            failures.append(error.isTimeout ? "Transport.Timeout" : "Transport")
                        } catch {
                            failures.append("\(type(of: error))")
                        }
                    }
                    return (20, failures, unit.itemID)
                }
            }
            for _ in 0..<concurrency { addNext() }
            var deliveries = 0
            var failures: [String: Int] = [:]
            var unfinished: [String] = []
            for await (count, failed, item) in group {
                deliveries += count
                for code in failed { failures[code, default: 0] += 1 }
                if let item { unfinished.append(item) }
                addNext()
            }
            return (deliveries, failures, unfinished)
        }
        return results
    }

    @Test(.enabled(if: enabled, "a soak: scripts/test.sh runs it after the suite"))
    func aThousandRotationsAndRetirementsAtATwentyPercentFaultRateLoseNothing() async throws {
        let moto = try await MotoServer.shared()
        let setupStarted = ContinuousClock.now
        let scenario = try await APIKeyScenario.make(moto: moto, itemCount: Self.items, plans: 2)
        let setupTook = ContinuousClock.now - setupStarted
        let configuration = try APIKeyRotationConfiguration(environment: scenario.environment())
        let started = ContinuousClock.now
        let (rotations, retirements, summary) = try await FaultProxy.with(upstream: moto) { proxy in
            let campaign = FaultCampaign(proxy: proxy, rate: 0.2, seed: 1_000_000_007, slowDelay: .milliseconds(1500))
            // Attempts time out after 1 s (moto answers in milliseconds); a slow answer takes 1.5 s.
            let client = moto.client(endpoint: proxy.endpoint, maxAttempts: 3, timeout: .seconds(1), logger: Logger(label: "soak"))
            let rotator = AWSAPIKeyRotation.rotator(configuration: configuration, client: client, eventBusName: nil, logger: Logger(label: "soak"))
            let rotate = scenario.items.map { WorkItem(action: .rotate, itemID: $0.itemID, keyID: $0.keyID, usagePlanID: scenario.planIDs[0]) }
            let rotations = await Self.performAll(rotate, rotator: rotator, concurrency: 8)
            // The grace is over for every item: the sweep would now queue each old key's retirement.
            for (itemID, _) in scenario.items { try await scenario.age(itemID, graceEndedHoursAgo: 1) }
            let retire = scenario.items.map { WorkItem(action: .retire, itemID: $0.itemID, keyID: $0.keyID, usagePlanID: scenario.planIDs[0]) }
            let retirements = await Self.performAll(retire, rotator: rotator, concurrency: 8)
            return (rotations, retirements, campaign.summary)
        }
        let elapsed = ContinuousClock.now - started
        print("soak api keys: \(Self.items) rotations in \(rotations.deliveries) deliveries, \(Self.items) retirements in \(retirements.deliveries) deliveries, "
              + "\(summary), failures rotate \(rotations.failures.sorted { $0.key < $1.key }) retire \(retirements.failures.sorted { $0.key < $1.key }), "
              + "set-up \(setupTook / .seconds(1)) s, soak \(elapsed / .seconds(1)) s")
        #expect(rotations.unfinished.isEmpty, "every rotation succeeded after redelivery: \(rotations.unfinished.prefix(5))")
        #expect(retirements.unfinished.isEmpty, "every retirement succeeded after redelivery: \(retirements.unfinished.prefix(5))")

        // Every item names a live key (not the one it started with) in all its plans, its old key is
        // gone, and API Gateway holds no key of this scenario that no item names.
        let apiGateway = APIGatewayClient(client: scenario.client)
        let live = Dictionary(uniqueKeysWithValues: try await apiGateway.getApiKeys(limit: 500).collect().flatMap { $0 }.map { ($0.id, $0) })
        var planKeys: [String: Set<String>] = [:]
        for plan in scenario.planIDs {
            planKeys[plan] = Set(try await apiGateway.getUsagePlanKeys(usagePlanId: plan).collect().flatMap { $0 }.map(\.id))
        }
        var problems: [String] = []
        for (itemID, old) in scenario.items {
            let item = try await scenario.item(itemID)
            guard let current = item?["APIGWKeyID"]?.stringValue else { problems.append("\(itemID): no key"); continue }
            if current == old { problems.append("\(itemID): not rotated") }
            if live[current] == nil { problems.append("\(itemID): names a deleted key") }
            if !scenario.planIDs.allSatisfy({ planKeys[$0]?.contains(current) == true }) { problems.append("\(itemID): new key not in every plan") }
            if live[old] != nil { problems.append("\(itemID): old key not retired") }
            if item?["previousAPIGWKeyID"] != nil || item?["rotatingFromKeyID"] != nil { problems.append("\(itemID): left mid-rotation") }
        }
        #expect(problems.isEmpty, "\(problems.count) problems: \(problems.prefix(10))")
        let orphans = try await scenario.orphanKeys()
        let orphanNames = try await scenario.keys().filter { orphans.contains($0.id) }.map { "\($0.id) \($0.name ?? "")" }
        #expect(orphans.isEmpty, "no orphan keys: \(orphanNames)")
    }
}
