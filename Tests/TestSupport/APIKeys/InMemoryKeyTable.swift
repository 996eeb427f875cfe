public import APIKeyRotation
import Synchronization

/// An in-memory ``KeyItemTable`` with DynamoDB's semantics for what the rotation uses: conditional
/// writes, pages of `pageSize` items, the two indexes (when `indexed`), and fault hooks.
public final class InMemoryKeyTable: KeyItemTable, Sendable {
    private struct State {
        var items: [String: KeyItem] = [:]
        var values: [String: String] = [:]
        var checkpoint: String?
        var calls: [String] = []
        var faults: [(operation: String, point: InMemoryAPIGateway.FaultPoint, callNumber: Int)] = []
    }
    private let state = Mutex(State())
    public let indexed: Bool
    public let pageSize: Int

    public init(indexed: Bool = true, pageSize: Int = 100) {
        self.indexed = indexed
        self.pageSize = pageSize
    }

    public func put(_ item: KeyItem, value: String? = nil) {
        state.withLock { s in
            var item = item
            item.hasStoredValue = value != nil
            s.items[item.itemID] = item
            s.values[item.itemID] = value
        }
    }

    public subscript(itemID: String) -> KeyItem? { state.withLock { $0.items[itemID] } }
    /// The stored `APIKeyValue` of an item (for fingerprint comparisons).
    public func storedValue(_ itemID: String) -> String? { state.withLock { $0.values[itemID] } }
    public var allItems: [KeyItem] { state.withLock { $0.items.values.sorted { $0.itemID < $1.itemID } } }
    public var calls: [String] { state.withLock { $0.calls } }
    public var checkpoint: String? { state.withLock { $0.checkpoint } }

    public func injectFault(_ operation: String, at point: InMemoryAPIGateway.FaultPoint, callNumber: Int = 1) {
        state.withLock { $0.faults.append((operation, point, callNumber)) }
    }

    private func call<T: Sendable>(_ operation: String, _ body: (inout State) throws -> T) throws -> T {
        let fault: InMemoryAPIGateway.FaultPoint? = state.withLock { s in
            s.calls.append(operation)
            let number = s.calls.filter { $0 == operation }.count
            guard let index = s.faults.firstIndex(where: { $0.operation == operation && $0.callNumber == number }) else { return nil }
            return s.faults.remove(at: index).point
        }
        if fault == .before { throw InMemoryAPIGateway.InjectedFault(operation: operation, point: .before) }
        let result = try state.withLock { try body(&$0) }
        if fault == .after { throw InMemoryAPIGateway.InjectedFault(operation: operation, point: .after) }
        return result
    }

    public func item(id: String) async throws -> KeyItem? { try call("GetItem") { $0.items[id] } }

    public func layout() async throws -> TableLayout {
        indexed ? .indexed : .scanOnly(missingIndexes: ["RotationDueIndex", "RetirementDueIndex"])
    }

    private func page(_ matching: [KeyItem], start: String?) -> ItemPage {
        let sorted = matching.sorted { $0.itemID < $1.itemID }
        let from = start.flatMap { token in sorted.firstIndex { $0.itemID > token } } ?? (start == nil ? 0 : sorted.count)
        let slice = Array(sorted[from..<min(sorted.count, from + pageSize)])
        let next = from + pageSize < sorted.count ? slice.last?.itemID : nil
        return ItemPage(items: slice, readCount: slice.count, next: next)
    }

    public func itemsDueForRotation(planID: String, before: String, start: String?) async throws -> ItemPage {
        try call("Query") { s in page(s.items.values.filter { $0.usagePlanID == planID && ($0.updateTime.map { $0 < before } ?? false) }, start: start) }
    }

    public func itemsDueForRetirement(planID: String, notAfter: String, start: String?) async throws -> ItemPage {
        try call("Query") { s in page(s.items.values.filter { $0.usagePlanID == planID && ($0.previousKeyRetireAt.map { $0 <= notAfter } ?? false) }, start: start) }
    }

    public func scan(start: String?) async throws -> ItemPage {
        try call("Scan") { s in page(Array(s.items.values), start: start) }
    }

    public func markRotationStarted(itemID: String, fromKeyID keyID: String) async throws -> Bool {
        try call("UpdateItem") { s in
            guard var item = s.items[itemID], item.keyID == keyID, item.rotatingFromKeyID == nil else { return false }
            item.rotatingFromKeyID = keyID
            s.items[itemID] = item
            return true
        }
    }

    public func recordRotation(_ rotation: RecordedRotation) async throws -> Bool {
        try call("UpdateItem") { s in
            guard var item = s.items[rotation.itemID], item.keyID == rotation.oldKeyID else { return false }
            item.keyID = rotation.newKeyID
            item.updateTime = rotation.updateTime
            item.rotatingFromKeyID = nil
            if rotation.clearsPreviousKey {
                item.previousKeyID = nil
                item.previousKeyRetireAt = nil
            } else {
                item.previousKeyID = rotation.oldKeyID
                item.previousKeyRetireAt = rotation.retireAt
            }
            item.hasStoredValue = rotation.storedValue != nil
            s.values[rotation.itemID] = rotation.storedValue
            s.items[rotation.itemID] = item
            return true
        }
    }

    public func clearPreviousKey(itemID: String, previousKeyID: String) async throws -> Bool {
        try call("UpdateItem") { s in
            guard var item = s.items[itemID], item.previousKeyID == previousKeyID else { return false }
            item.previousKeyID = nil
            item.previousKeyRetireAt = nil
            s.items[itemID] = item
            return true
        }
    }

    public func sweepCheckpoint() async throws -> String? { try call("GetItem") { $0.checkpoint } }
    public func saveSweepCheckpoint(_ cursor: String?) async throws { try call("PutItem") { $0.checkpoint = cursor } }
}

/// A ``WorkQueue`` that keeps what it was sent; `refuse` makes it refuse items by id.
public final class InMemoryWorkQueue: WorkQueue, Sendable {
    private let sent = Mutex<[WorkItem]>([])
    private let refused = Mutex<Set<String>>([])
    public init() {}
    public var messages: [WorkItem] { sent.withLock { $0 } }
    public func refuse(itemID: String) { _ = refused.withLock { $0.insert(itemID) } }
    public func drain() -> [WorkItem] { sent.withLock { sent in defer { sent = [] }; return sent } }

    public func send(_ items: [WorkItem]) async throws -> [Int] {
        precondition(items.count <= 10, "SQS batches hold at most 10 messages")
        let refusedIDs = refused.withLock { $0 }
        var failed: [Int] = []
        for (index, item) in items.enumerated() {
            if refusedIDs.contains(item.itemID) { failed.append(index) } else { sent.withLock { $0.append(item) } }
        }
        return failed
    }
}

/// A ``RotationEventPublisher`` that keeps what it was given.
public final class RecordingEventPublisher: RotationEventPublisher, Sendable {
    private let events = Mutex<[KeyLifecycleEvent]>([])
    public init() {}
    public var published: [KeyLifecycleEvent] { events.withLock { $0 } }
    public func publish(_ event: KeyLifecycleEvent) async throws { events.withLock { $0.append(event) } }
}
