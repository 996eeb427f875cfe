public import Logging

extension APIKeyRotator {
    /// Gives an item whose key API Gateway no longer has a new key, on purpose (the operator's
    /// repair for items APIGateway-API-Key-Auto-Rotation left behind): creates it, attaches it to the item's usage plan and
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
