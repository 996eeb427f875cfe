import APIKeyRotation
import Foundation
import InMemoryLogging
import Logging
import TestSupport

/// An in-memory world for the step logic: API Gateway, the table, the queue, events and a clock.
struct RotationKit: Sendable {
    let gateway: InMemoryAPIGateway
    let table: InMemoryKeyTable
    let queue = InMemoryWorkQueue()
    let events = RecordingEventPublisher()
    let clock = ManualRotationClock()
    let logs = InMemoryLogHandler()
    var configuration = APIKeyRotationConfiguration(tableName: "keys")
    var metrics = APIKeyMetrics()

    init(indexed: Bool = true, pageSize: Int = 100, keyLimit: Int = 10_000, throttle: APIGatewayThrottle? = nil) {
        gateway = InMemoryAPIGateway(throttle: throttle, keyLimit: keyLimit)
        table = InMemoryKeyTable(indexed: indexed, pageSize: pageSize)
    }

    var logger: Logger { logs.logger() }

    var rotator: APIKeyRotator {
        APIKeyRotator(configuration: configuration, store: gateway, table: table, events: events, clock: clock, metrics: metrics)
    }

    var sweeper: APIKeySweeper {
        APIKeySweeper(configuration: configuration, store: gateway, table: table, queue: queue, clock: clock, metrics: metrics)
    }

    /// An item whose key is in `plans` (the first is its usagePlanID), last rotated `ageDays` ago.
    @discardableResult
    func addItem(_ id: String, plans: [String], ageDays: Double = 40, customerId: String? = nil) -> (item: KeyItem, keyID: String) {
        let keyID = gateway.addKey(customerId: customerId, plans: plans)
        let item = KeyItem(itemID: id, keyID: keyID, usagePlanID: plans.first,
                           updateTime: RotationTimestamp.string(from: clock.now().addingTimeInterval(-ageDays * 86400)))
        table.put(item)
        return (item, keyID)
    }

    func rotateWork(_ item: KeyItem) -> WorkItem {
        WorkItem(action: .rotate, itemID: item.itemID, keyID: item.keyID ?? "", usagePlanID: item.usagePlanID)
    }

    /// Keys API Gateway holds that no item names (as current or previous).
    var orphanKeys: [String] {
        let named = Set(table.allItems.flatMap { [$0.keyID, $0.previousKeyID].compactMap { $0 } })
        return gateway.allKeys.map(\.stored.id).filter { !named.contains($0) }
    }

    /// Every key value API Gateway holds, to check nothing printed one.
    var allValues: [String] { gateway.allKeys.map(\.value) }

    /// Whether any log line holds any key value (never print the value itself).
    var logsHoldAValue: Bool {
        let text = logs.text
        return allValues.contains { text.contains($0) }
    }
}
