public import Logging

extension APIKeyRotator {
    /// Retires the previous key `work.keyID` of item `work.itemID` once its grace period is over:
    /// detaches it from every plan, deletes it, and clears the item's previous-key fields.
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

    /// Gives an item whose key API Gateway no longer has a new key, on purpose (the operator's
    /// repair for items seed 002 left behind): creates it, attaches it to the item's usage plan and
    /// records it, conditional on the item still naming the missing key.
    public func replaceMissingKey(itemID: String, logger: Logger) async throws -> RotationOutcome {
        var logger = logger
        logger[metadataKey: "item"] = "\(itemID)"
        let item = try await requiredItem(itemID)
        guard let missing = item.keyID, let plan = item.usagePlanID else {
            throw APIKeyRotationError(.invalidItem, "Item \(itemID) needs \(KeyItem.Attribute.keyID) and \(KeyItem.Attribute.usagePlanID) strings to be given a new key.")
        }
        guard try await store.key(id: missing) == nil else {
            throw APIKeyRotationError(.invalidEvent, "Key \(missing) of item \(itemID) exists: rotate it normally (without --replace-missing-key).")
        }
        let name = KeyNaming.name(itemID: itemID, replacing: missing)
        var key: StoredKey
        var value: String?
        if let existing = try await store.keys(namePrefix: name).first(where: { $0.name == name }) {
            key = existing
        } else {
            let created = try await store.create(NewKey(name: name, description: KeyNaming.description(itemID: itemID, replacing: missing),
                                                        customerId: nil, tags: KeyNaming.tags(itemID: itemID, replacing: missing)))
            key = created.key
            value = created.value
        }
        try await store.attach(keyID: key.id, toPlan: plan)
        if configuration.storeKeyValue, value == nil { value = try await store.value(ofKey: key.id) }
        let now = RotationTimestamp.string(from: clock.now())
        let recorded = try await table.recordRotation(RecordedRotation(itemID: itemID, oldKeyID: missing, newKeyID: key.id, updateTime: now,
                                                                       retireAt: now, storedValue: configuration.storeKeyValue ? value : nil, clearsPreviousKey: true))
        if !recorded, try await requiredItem(itemID).keyID != key.id {
            throw APIKeyRotationError(.updateConflict, "Item \(itemID) changed while it was given a new key: run the command again.")
        }
        try await events.publish(KeyLifecycleEvent(kind: .rotated, itemID: itemID, keyID: key.id, previousKeyID: missing, graceEndsAt: nil, usagePlanIDs: [plan]))
        logger.notice("missing key replaced", metadata: ["newKey": "\(key.id)", "missingKey": "\(missing)"])
        return RotationOutcome(result: .rotated, itemID: itemID, keyID: key.id, previousKeyID: missing, usagePlanIDs: [plan])
    }
}
