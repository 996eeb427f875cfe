public import Logging

extension APIKeyRotator {
    /// Retires the previous key `work.keyID` of item `work.itemID` once its grace period is over:
    /// detaches it from every plan, deletes it, removes any duplicate the rotation from it left,
    /// and clears the item's previous-key fields.
    /// Never touches the key the item names now, nor a key the item does not name.
    public func retire(_ work: WorkItem, logger: Logger) async throws -> RotationOutcome {
        var logger = logger
        logger[metadataKey: "item"] = "\(work.itemID)"
        logger[metadataKey: "oldKey"] = "\(work.keyID)"
        let item = try await requiredItem(work.itemID)
        guard let current = item.keyID else {
            throw APIKeyRotationError(.invalidItem, "Item \(work.itemID) has no \(KeyItem.Attribute.keyID) string: its previous key is not retired while it names no key.")
        }
        if current == work.keyID {
            throw APIKeyRotationError(.keyMismatch, "Key \(work.keyID) is the key item \(work.itemID) uses now: only a previous key is retired; nothing was changed.")
        }
        guard item.previousKeyID == work.keyID else {
            if item.previousKeyID == nil, try await store.key(id: work.keyID) == nil {
                logger.info("previous key was already retired")
                return RotationOutcome(result: .alreadyRetired, itemID: work.itemID, keyID: current, previousKeyID: work.keyID)
            }
            throw APIKeyRotationError(.keyMismatch, "Item \(work.itemID) does not name key \(work.keyID) as its previous key (it has \(item.previousKeyID ?? "none")): the event is stale or wrong; nothing was changed.")
        }
        guard try graceIsOver(item) else {
            throw APIKeyRotationError(.graceNotOver, "The grace period of key \(work.keyID) (item \(work.itemID)) ends at \(item.previousKeyRetireAt ?? "?"): it is retired after that; nothing was changed.")
        }
        // Never remove the old key while the new one is not there to replace it.
        guard try await store.key(id: current) != nil else {
            throw APIKeyRotationError(.keyMissing, "Item \(work.itemID) names key \(current), which API Gateway no longer has: its previous key \(work.keyID) is kept so that clients keep working. Run `keyrotator apikeys rotate --table \(configuration.tableName) --item \(work.itemID) --replace-missing-key` to give the item a new key on purpose.")
        }
        // Always asked afresh (not from the sweep's snapshot): a retry must not detach what an
        // earlier attempt already detached (moto answers 500 to that, AWS NotFoundException).
        let plans = try await store.plans(ofKey: work.keyID).map(\.id)
        for plan in plans {
            try await store.detach(keyID: work.keyID, fromPlan: plan)
        }
        let existed = try await store.delete(keyID: work.keyID)
        // A create that timed out may have landed after its rotation finished: by the end of the
        // grace it has, so the keys that rotation made are settled. Keep the one the item names.
        try await removeStrays(named: KeyNaming.name(itemID: work.itemID, replacing: work.keyID), keeping: current, logger: logger)
        if try await !table.clearPreviousKey(itemID: work.itemID, previousKeyID: work.keyID) {
            let now = try await requiredItem(work.itemID)
            guard now.previousKeyID != work.keyID else {
                throw APIKeyRotationError(.updateConflict, "Item \(work.itemID) could not be updated after key \(work.keyID) was deleted: run the retirement again.")
            }
        }
        try await events.publish(KeyLifecycleEvent(kind: .retired, itemID: work.itemID, keyID: current, previousKeyID: work.keyID, graceEndsAt: nil, usagePlanIDs: plans))
        logger.info("previous key retired", metadata: ["plans": "\(plans.joined(separator: ","))", "existed": "\(existed)"])
        return RotationOutcome(result: .retired, itemID: work.itemID, keyID: current, previousKeyID: work.keyID, usagePlanIDs: plans)
    }
}
