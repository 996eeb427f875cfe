#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AWSCore
public import Logging

/// Rotates an item's API key without a gap, and retires the old key once its grace period is over.
///
/// A rotation creates the new key (named after the item and the key it replaces, so that a retry
/// finds it), attaches it to every plan the old key is in plus the item's `usagePlanID`, carries
/// the old key's quota usage over, then records it with a conditional update; the old key stays
/// alive and in its plans until ``retire(_:logger:)``. Every step can be re-run after a failure at
/// any point and converges: one new key in use, no orphan keys, no item naming a deleted key.
public struct APIKeyRotator: Sendable {
    public let configuration: APIKeyRotationConfiguration
    public let store: any APIKeyStore
    public let table: any KeyItemTable
    public let events: any RotationEventPublisher
    public let clock: any RotationClock
    /// Where rotations, retirements and failures are counted.
    public let metrics: APIKeyMetrics

    public init(configuration: APIKeyRotationConfiguration, store: any APIKeyStore, table: any KeyItemTable,
                events: any RotationEventPublisher = NoEventPublisher(), clock: any RotationClock = SystemRotationClock(),
                metrics: APIKeyMetrics = APIKeyMetrics()) {
        self.metrics = metrics
        self.configuration = configuration
        self.store = store
        self.table = table
        self.events = events
        self.clock = clock
    }

    /// Performs one unit of work.
    public func perform(_ work: WorkItem, logger: Logger) async throws -> RotationOutcome {
        do {
            let outcome = switch work.action {
            case .rotate: try await rotate(work, logger: logger)
            case .retire: try await retire(work, logger: logger)
            }
            metrics.performed(outcome)
            return outcome
        } catch {
            metrics.failed(work.action)
            throw error
        }
    }

    // MARK: - Rotation

    /// Rotates the key `work.keyID` of item `work.itemID`.
    public func rotate(_ work: WorkItem, logger: Logger) async throws -> RotationOutcome {
        var logger = logger
        logger[metadataKey: "item"] = "\(work.itemID)"
        logger[metadataKey: "oldKey"] = "\(work.keyID)"
        var item = try await requiredItem(work.itemID)
        guard let current = item.keyID else {
            throw APIKeyRotationError(.invalidItem, "Item \(work.itemID) has no \(KeyItem.Attribute.keyID) string: give it the id of its API key.")
        }
        if current != work.keyID {
            if item.previousKeyID == work.keyID {
                return try await alreadyRotated(item, from: work.keyID, logger: logger)
            }
            throw APIKeyRotationError(.keyMismatch, "Item \(work.itemID) names key \(current), not \(work.keyID): the event is stale or wrong; nothing was changed.")
        }
        if let previous = item.previousKeyID {
            guard try graceIsOver(item) else {
                throw APIKeyRotationError(.graceInProgress, "Item \(work.itemID) still has key \(previous) in its grace period until \(item.previousKeyRetireAt ?? "?"): it can be rotated again once that key is retired.")
            }
            _ = try await retire(WorkItem(action: .retire, itemID: work.itemID, keyID: previous), logger: logger)
            item = try await requiredItem(work.itemID)
        }

        let snapshot = try await snapshot(of: current, item: item, hint: work.snapshot)
        var planIDs = snapshot.plans
        if let plan = item.usagePlanID ?? work.usagePlanID, !planIDs.contains(plan) { planIDs.append(plan) }
        guard !planIDs.isEmpty else {
            throw APIKeyRotationError(.invalidItem, "Item \(work.itemID) has no \(KeyItem.Attribute.usagePlanID) and key \(current) is in no usage plan: the new key would not work anywhere; set the item's usagePlanID.")
        }

        // A rotation from this key began before (a retry, or another delivery at the same time):
        // it may have created the key already, so look for it first.
        var resumed = item.rotatingFromKeyID == current
        if !resumed, try await !table.markRotationStarted(itemID: work.itemID, fromKeyID: current) {
            let now = try await requiredItem(work.itemID)
            // The item changed since we read it: decide again from what it says now.
            if now.keyID != current { return try await rotate(work, logger: logger) }
            resumed = true
        }

        let name = KeyNaming.name(itemID: work.itemID, replacing: current)
        let (newKey, createdValue) = try await findOrCreate(name: name, itemID: work.itemID, replacing: current, customerId: snapshot.customerId,
                                                            lookFirst: resumed, logger: logger)
        logger[metadataKey: "newKey"] = "\(newKey.id)"
        for plan in planIDs {
            do {
                try await store.attach(keyID: newKey.id, toPlan: plan)
            } catch APIKeyStoreError.planNotFound(let id) {
                throw APIKeyRotationError(.planNotFound, "Usage plan \(id) of item \(work.itemID) does not exist: fix the item's usagePlanID or the plan; key \(current) was left as it is.")
            }
        }
        try await carryOverUsage(from: current, to: newKey.id, plans: snapshot.quotaPlans, logger: logger)

        var value: String?
        if configuration.storeKeyValue {
            if let createdValue { value = createdValue } else { value = try await store.value(ofKey: newKey.id) }
        }
        let now = clock.now()
        let retireAt = RotationTimestamp.string(from: now.addingTimeInterval(configuration.gracePeriodHours * 3600))
        let rotation = RecordedRotation(itemID: work.itemID, oldKeyID: current, newKeyID: newKey.id,
                                        updateTime: RotationTimestamp.string(from: now), retireAt: retireAt, storedValue: value)
        if try await !table.recordRotation(rotation) {
            let now = try await requiredItem(work.itemID)
            if now.keyID == newKey.id {
                logger.info("rotation was already recorded")
            } else if now.previousKeyID == current, let winner = now.keyID {
                // Another delivery of the same work won: ours is unreferenced, remove it.
                try await removeUnreferenced(newKey.id, logger: logger)
                logger.notice("another rotation of this key won: removed the key this one created", metadata: ["winner": "\(winner)"])
                return try await alreadyRotated(now, from: current, logger: logger)
            } else {
                try await removeUnreferenced(newKey.id, logger: logger)
                throw APIKeyRotationError(.updateConflict, "Item \(work.itemID) changed during the rotation (it names \(now.keyID ?? "no key")): the new key was removed and key \(current) left as it is; run the rotation again.")
            }
        }
        if resumed { try await removeStrays(named: name, keeping: newKey.id, logger: logger) }
        let outcome = RotationOutcome(result: .rotated, itemID: work.itemID, keyID: newKey.id, previousKeyID: current, graceEndsAt: retireAt, usagePlanIDs: planIDs)
        try await events.publish(KeyLifecycleEvent(kind: .rotated, itemID: work.itemID, keyID: newKey.id, previousKeyID: current, graceEndsAt: retireAt, usagePlanIDs: planIDs))
        logger.info("key rotated", metadata: ["graceEndsAt": "\(retireAt)", "plans": "\(planIDs.joined(separator: ","))", "valueStored": "\(value != nil)"])
        return outcome
    }

    /// The old key's customer id and plans: from the sweep's snapshot when it has one, else from API Gateway.
    private func snapshot(of keyID: String, item: KeyItem, hint: KeySnapshot?) async throws -> KeySnapshot {
        if let hint { return hint }
        guard let key = try await store.key(id: keyID) else {
            throw APIKeyRotationError(.keyMissing, "Item \(item.itemID) names key \(keyID), which API Gateway no longer has (APIGateway-API-Key-Auto-Rotation leaves such items when it fails between its delete and its create): nothing was changed. To give the item a new key on purpose, run `keyrotator apikeys rotate --table \(configuration.tableName) --item \(item.itemID) --replace-missing-key`.")
        }
        let plans = try await store.plans(ofKey: keyID)
        return KeySnapshot(plans: plans.map(\.id), quotaPlans: plans.filter(\.hasQuota).map(\.id), customerId: key.customerId)
    }

    /// The key a rotation from `replacing` made before (a retry), or a new one.
    private func findOrCreate(name: String, itemID: String, replacing: String, customerId: String?, lookFirst: Bool,
                              logger: Logger) async throws -> (StoredKey, String?) {
        if lookFirst, let existing = try await keysNamed(name).first {
            logger.info("found the key an earlier attempt created")
            return (existing, nil)
        }
        do {
            let created = try await store.create(NewKey(name: name, description: KeyNaming.description(itemID: itemID, replacing: replacing),
                                                        customerId: customerId, tags: KeyNaming.tags(itemID: itemID, replacing: replacing)))
            return (created.key, created.value)
        } catch let error where Self.mayHaveTakenEffect(error) {
            // The answer was lost: the key may exist. Never create a second one on a guess.
            if let existing = try await keysNamed(name).first {
                logger.info("the create's answer was lost: found the key it made")
                return (existing, nil)
            }
            throw error
        } catch APIKeyStoreError.keyLimitReached {
            throw APIKeyRotationError(.keyLimitReached, "API Gateway holds the maximum number of API keys for this account and Region (\(configuration.keyLimit)): the rotation of item \(itemID) waits until retirements free keys (it is retried from the queue); delete unused keys to go faster.")
        }
    }

    /// Whether a failed call may still have taken effect (no answer came, or a 5xx did).
    static func mayHaveTakenEffect(_ error: any Error) -> Bool {
        if error is AWSTransportError { return true }
        if let error = error as? AWSError { return error.statusCode >= 500 }
        return false
    }

    /// Keys with exactly this name, oldest first (the first is the one a rotation keeps).
    private func keysNamed(_ name: String) async throws -> [StoredKey] {
        try await store.keys(namePrefix: name).filter { $0.name == name }.sorted { lhs, rhs in
            (lhs.createdDate ?? .distantPast, lhs.id) < (rhs.createdDate ?? .distantPast, rhs.id)
        }
    }

    /// A redelivered rotation: the item already names the key a rotation from `oldKeyID` made.
    private func alreadyRotated(_ item: KeyItem, from oldKeyID: String, logger: Logger) async throws -> RotationOutcome {
        let current = item.keyID ?? ""
        try await removeStrays(named: KeyNaming.name(itemID: item.itemID, replacing: oldKeyID), keeping: current, logger: logger)
        let plans = item.usagePlanID.map { [$0] } ?? []
        // Publish again: the first attempt may have failed after recording and before publishing.
        try await events.publish(KeyLifecycleEvent(kind: .rotated, itemID: item.itemID, keyID: current, previousKeyID: oldKeyID,
                                                   graceEndsAt: item.previousKeyRetireAt, usagePlanIDs: plans))
        logger.info("key was already rotated", metadata: ["newKey": "\(current)"])
        return RotationOutcome(result: .alreadyRotated, itemID: item.itemID, keyID: current, previousKeyID: oldKeyID,
                               graceEndsAt: item.previousKeyRetireAt, usagePlanIDs: plans)
    }

    /// Removes keys a rotation created twice (two deliveries at once, a crash between create and
    /// record, or a create whose answer was lost and that landed late), keeping the one the item names.
    func removeStrays(named name: String, keeping keep: String, logger: Logger) async throws {
        for stray in try await keysNamed(name) where stray.id != keep {
            try await removeUnreferenced(stray.id, logger: logger)
            logger.notice("removed a duplicate key of this rotation", metadata: ["stray": "\(stray.id)"])
        }
    }

    /// Detaches and deletes a key that no item names.
    private func removeUnreferenced(_ keyID: String, logger: Logger) async throws {
        for plan in try await store.plans(ofKey: keyID) {
            try await store.detach(keyID: keyID, fromPlan: plan.id)
        }
        _ = try await store.delete(keyID: keyID)
    }

    /// Gives the new key what the old key has left of each plan's quota, so that a rotation never
    /// hands a client a second quota.
    private func carryOverUsage(from oldKeyID: String, to newKeyID: String, plans: [String], logger: Logger) async throws {
        let day = RotationTimestamp.day(of: clock.now())
        for plan in plans {
            guard let remaining = try await store.remainingQuota(keyID: oldKeyID, inPlan: plan, day: day) else { continue }
            try await store.setRemainingQuota(remaining, keyID: newKeyID, inPlan: plan)
            logger.info("quota usage carried over", metadata: ["plan": "\(plan)", "remaining": "\(remaining)"])
        }
    }

    // MARK: - Reading the item

    func requiredItem(_ itemID: String) async throws -> KeyItem {
        guard let item = try await table.item(id: itemID) else {
            throw APIKeyRotationError(.unknownItem, "Table \(configuration.tableName) has no item with itemID \(itemID): check the event and TABLE_NAME; nothing was changed.")
        }
        return item
    }

    func graceIsOver(_ item: KeyItem) throws -> Bool {
        guard let text = item.previousKeyRetireAt, let end = RotationTimestamp.date(from: text) else {
            throw APIKeyRotationError(.invalidItem, "Item \(item.itemID) has a previous key but no valid \(KeyItem.Attribute.previousKeyRetireAt): set it to an ISO 8601 time (e.g. 2026-12-03T12:00:00.000Z).")
        }
        return end <= clock.now()
    }
}
