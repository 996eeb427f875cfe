import AWSCore
public import AWSServices

/// ``APIKeyStore`` over API Gateway's REST API (v1) key and usage-plan operations.
///
/// Lists follow `position` to the last page and filter on the client (some implementations ignore
/// `limit`, `position` or the name filter). `TooManyRequestsException` becomes
/// ``APIKeyStoreError/throttled(operation:)``; `LimitExceededException` on CreateApiKey becomes
/// ``APIKeyStoreError/keyLimitReached``; a duplicate attachment (`ConflictException`) and a missing
/// key or attachment on delete (`NotFoundException`) are not errors.
public struct APIGatewayKeyStore: APIKeyStore {
    public let apiGateway: APIGatewayClient
    /// The page size asked for when listing (500 is API Gateway's maximum).
    public var pageSize = 500

    public init(apiGateway: APIGatewayClient) {
        self.apiGateway = apiGateway
    }

    public func key(id: String) async throws -> StoredKey? {
        do {
            return Self.stored(try await mapped("GetApiKey") { try await apiGateway.getApiKey(id: id) })
        } catch let error as AWSError where error.code == "NotFoundException" {
            return nil
        }
    }

    public func keys(namePrefix: String?) async throws -> [StoredKey] {
        let pages = try await mapped("GetApiKeys") { try await apiGateway.getApiKeys(nameQuery: namePrefix, limit: pageSize).collect() }
        return pages.flatMap { $0 }.filter { key in namePrefix.map { key.name?.hasPrefix($0) ?? false } ?? true }.map(Self.stored)
    }

    public func create(_ key: NewKey) async throws -> CreatedKey {
        let created: APIKey
        do {
            created = try await mapped("CreateApiKey") {
                try await apiGateway.createApiKey(name: key.name, description: key.description, enabled: true, customerId: key.customerId,
                                                  tags: key.tags.isEmpty ? nil : key.tags)
            }
        } catch let error as AWSError where error.code == "LimitExceededException" {
            throw APIKeyStoreError.keyLimitReached
        }
        guard let value = created.value else {
            throw AWSResponseDecodingError(service: "apigateway", operation: "CreateApiKey", reason: "the answer holds no key value")
        }
        return CreatedKey(key: Self.stored(created), value: value)
    }

    public func value(ofKey id: String) async throws -> String? {
        do {
            return try await mapped("GetApiKey") { try await apiGateway.getApiKey(id: id, includeValue: true) }.value
        } catch let error as AWSError where error.code == "NotFoundException" {
            return nil
        }
    }

    public func delete(keyID: String) async throws -> Bool {
        do {
            try await mapped("DeleteApiKey") { try await apiGateway.deleteApiKey(id: keyID) }
            return true
        } catch let error as AWSError where error.code == "NotFoundException" {
            return false
        }
    }

    public func plans() async throws -> [PlanInfo] {
        try await mapped("GetUsagePlans") { try await apiGateway.getUsagePlans(limit: pageSize).collect() }.flatMap { $0 }.map(Self.info)
    }

    public func plans(ofKey id: String) async throws -> [PlanInfo] {
        do {
            return try await mapped("GetUsagePlans") { try await apiGateway.getUsagePlans(keyId: id, limit: pageSize).collect() }.flatMap { $0 }.map(Self.info)
        } catch let error as AWSError where error.code == "NotFoundException" {
            return []
        }
    }

    public func keyIDs(inPlan planID: String) async throws -> [String] {
        try await mapped("GetUsagePlanKeys") { try await apiGateway.getUsagePlanKeys(usagePlanId: planID, limit: pageSize).collect() }.flatMap { $0 }.map(\.id)
    }

    public func attach(keyID: String, toPlan planID: String) async throws {
        do {
            try await mapped("CreateUsagePlanKey") { _ = try await apiGateway.createUsagePlanKey(usagePlanId: planID, keyId: keyID) }
        } catch let error as AWSError where error.code == "ConflictException" {
            // Already attached.
        } catch let error as AWSError where error.code == "NotFoundException" {
            throw APIKeyStoreError.planNotFound(planID)
        }
    }

    public func detach(keyID: String, fromPlan planID: String) async throws {
        do {
            try await mapped("DeleteUsagePlanKey") { try await apiGateway.deleteUsagePlanKey(usagePlanId: planID, keyId: keyID) }
        } catch let error as AWSError where error.code == "NotFoundException" {
            // Not attached (or already gone).
        }
    }

    public func remainingQuota(keyID: String, inPlan planID: String, day: String) async throws -> Int? {
        try await mapped("GetUsage") { try await apiGateway.getUsage(usagePlanId: planID, keyId: keyID, startDate: day, endDate: day) }.remaining(keyId: keyID)
    }

    public func setRemainingQuota(_ remaining: Int, keyID: String, inPlan planID: String) async throws {
        try await mapped("UpdateUsage") { try await apiGateway.updateUsage(usagePlanId: planID, keyId: keyID, patchOperations: [.replace("/remaining", String(remaining))]) }
    }

    /// Runs a call; throttling becomes `APIKeyStoreError.throttled`.
    private func mapped<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as AWSError where error.code == "TooManyRequestsException" || (error.statusCode == 429 && error.code != "LimitExceededException") {
            throw APIKeyStoreError.throttled(operation: operation)
        }
    }

    static func stored(_ key: APIKey) -> StoredKey {
        StoredKey(id: key.id, name: key.name, customerId: key.customerId, enabled: key.enabled ?? true, createdDate: key.createdDate, tags: key.tags ?? [:])
    }

    static func info(_ plan: UsagePlan) -> PlanInfo { PlanInfo(id: plan.id, hasQuota: plan.quota != nil) }
}
