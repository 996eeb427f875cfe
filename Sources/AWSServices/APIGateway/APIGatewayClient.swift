public import AWSCore
import NIOHTTP1
/// The API Gateway (REST APIs, v1) operations KeyRotator uses for usage-plan API keys.
public struct APIGatewayClient: Sendable {
    public let client: AWSClient
    private var service: AWSService { .apiGateway }

    public init(client: AWSClient) { self.client = client }

    /// Creates a key. With `value` nil, API Gateway generates one (returned in the answer).
    /// CreateApiKey is not idempotent: a failure after which the key may exist (no answer, a 5xx)
    /// is thrown, not retried, so that the caller can look for the key by name first.
    public func createApiKey(name: String, description: String? = nil, value: String? = nil, enabled: Bool = true,
                             customerId: String? = nil, tags: [String: String]? = nil) async throws -> APIKey {
        struct Input: Encodable {
            var name: String, description: String?, value: String?, enabled: Bool, customerId: String?, tags: [String: String]?
        }
        return try await client.restJSON(service: service, operation: "CreateApiKey", method: .POST, path: "/apikeys",
                                         input: Input(name: name, description: description, value: value, enabled: enabled, customerId: customerId, tags: tags),
                                         retryingAmbiguousFailures: false)
    }

    public func getApiKey(id: String, includeValue: Bool = false) async throws -> APIKey {
        try await client.restJSON(service: service, operation: "GetApiKey", method: .GET, path: AWSURIEncoding.path(["apikeys", id]),
                                  query: [("includeValue", includeValue ? "true" : "false")])
    }

    /// Every API key, a page at a time. Filter by customer on the client: `customerId` is
    /// passed to the service but not every implementation honours it.
    public func getApiKeys(nameQuery: String? = nil, customerId: String? = nil, includeValues: Bool = false, limit: Int? = nil) -> PageSequence<[APIKey]> {
        let client = self.client, service = self.service
        return PageSequence { position in
            var query: [(name: String, value: String)] = [("includeValues", includeValues ? "true" : "false")]
            if let nameQuery { query.append(("name", nameQuery)) }
            if let customerId { query.append(("customerId", customerId)) }
            if let limit { query.append(("limit", String(limit))) }
            if let position { query.append(("position", position)) }
            let page: APIGatewayPage<APIKey> = try await client.restJSON(service: service, operation: "GetApiKeys", method: .GET, path: "/apikeys", query: query)
            var keys = page.items ?? page.item ?? []
            if let customerId { keys = keys.filter { $0.customerId == customerId } }
            return (keys, page.position)
        }
    }

    /// Applies patch operations (e.g. `.replace("/enabled", "false")`).
    @discardableResult
    public func updateApiKey(id: String, patchOperations: [PatchOperation]) async throws -> APIKey {
        struct Input: Encodable { var patchOperations: [PatchOperation] }
        return try await client.restJSON(service: service, operation: "UpdateApiKey", method: .PATCH, path: AWSURIEncoding.path(["apikeys", id]),
                                         input: Input(patchOperations: patchOperations))
    }

    public func deleteApiKey(id: String) async throws {
        try await client.restJSONRaw(service: service, operation: "DeleteApiKey", method: .DELETE, path: AWSURIEncoding.path(["apikeys", id]))
    }

    /// Drops every cached authorizer result of a REST API stage (FlushStageAuthorizersCache): the
    /// next request with any identity is authorized afresh. HTTP APIs have no such operation.
    public func flushStageAuthorizersCache(restApiId: String, stageName: String) async throws {
        try await client.restJSONRaw(service: service, operation: "FlushStageAuthorizersCache", method: .DELETE,
                                     path: AWSURIEncoding.path(["restapis", restApiId, "stages", stageName, "cache", "authorizers"]))
    }

    /// Attaches a key to a usage plan.
    @discardableResult
    public func createUsagePlanKey(usagePlanId: String, keyId: String) async throws -> UsagePlanKey {
        try await client.restJSON(service: service, operation: "CreateUsagePlanKey", method: .POST, path: AWSURIEncoding.path(["usageplans", usagePlanId, "keys"]),
                                  input: ["keyId": keyId, "keyType": "API_KEY"])
    }

    /// Detaches a key from a usage plan.
    public func deleteUsagePlanKey(usagePlanId: String, keyId: String) async throws {
        try await client.restJSONRaw(service: service, operation: "DeleteUsagePlanKey", method: .DELETE,
                                     path: AWSURIEncoding.path(["usageplans", usagePlanId, "keys", keyId]))
    }

    public func getUsagePlanKeys(usagePlanId: String, limit: Int? = nil) -> PageSequence<[UsagePlanKey]> {
        let client = self.client, service = self.service
        return PageSequence { position in
            var query: [(name: String, value: String)] = []
            if let limit { query.append(("limit", String(limit))) }
            if let position { query.append(("position", position)) }
            let page: APIGatewayPage<UsagePlanKey> = try await client.restJSON(service: service, operation: "GetUsagePlanKeys", method: .GET,
                                                                              path: AWSURIEncoding.path(["usageplans", usagePlanId, "keys"]), query: query)
            return (page.items ?? page.item ?? [], page.position)
        }
    }

    /// The authorizers of a REST API (GetAuthorizers), every page.
    public func getAuthorizers(restApiId: String) -> PageSequence<[Authorizer]> {
        let client = self.client, service = self.service
        return PageSequence { position in
            var query: [(name: String, value: String)] = []
            if let position { query.append(("position", position)) }
            let page: APIGatewayPage<Authorizer> = try await client.restJSON(service: service, operation: "GetAuthorizers", method: .GET,
                                                                            path: AWSURIEncoding.path(["restapis", restApiId, "authorizers"]), query: query)
            return (page.items ?? page.item ?? [], page.position)
        }
    }

    /// Usage plans, optionally only those a key is attached to.
    public func getUsagePlans(keyId: String? = nil, limit: Int? = nil) -> PageSequence<[UsagePlan]> {
        let client = self.client, service = self.service
        return PageSequence { position in
            var query: [(name: String, value: String)] = []
            if let keyId { query.append(("keyId", keyId)) }
            if let limit { query.append(("limit", String(limit))) }
            if let position { query.append(("position", position)) }
            let page: APIGatewayPage<UsagePlan> = try await client.restJSON(service: service, operation: "GetUsagePlans", method: .GET, path: "/usageplans", query: query)
            return (page.items ?? page.item ?? [], page.position)
        }
    }

    /// One usage plan, with its quota.
    public func getUsagePlan(id: String) async throws -> UsagePlan {
        try await client.restJSON(service: service, operation: "GetUsagePlan", method: .GET, path: AWSURIEncoding.path(["usageplans", id]))
    }

    /// A key's usage in a plan from `startDate` to `endDate` (both `yyyy-MM-dd`, UTC).
    /// Follows `position` and merges the pages.
    public func getUsage(usagePlanId: String, keyId: String, startDate: String, endDate: String) async throws -> UsagePlanUsage {
        let client = self.client, service = self.service
        let pages = PageSequence<UsagePlanUsage> { position in
            var query: [(name: String, value: String)] = [("startDate", startDate), ("endDate", endDate), ("keyId", keyId)]
            if let position { query.append(("position", position)) }
            let page: UsagePlanUsage = try await client.restJSON(service: service, operation: "GetUsage", method: .GET,
                                                                 path: AWSURIEncoding.path(["usageplans", usagePlanId, "usage"]), query: query)
            return (page, page.position)
        }
        var iterator = pages.makeAsyncIterator()
        guard var merged = try await iterator.next() else { throw AWSResponseDecodingError(service: service.signingName, operation: "GetUsage", reason: "no page") }
        while let page = try await iterator.next() {
            merged.items.merge(page.items) { $0 + $1 }
        }
        return merged
    }

    /// Changes a key's usage in a plan, e.g. `.replace("/remaining", "120")` to set what it has left.
    public func updateUsage(usagePlanId: String, keyId: String, patchOperations: [PatchOperation]) async throws {
        struct Input: Encodable { var patchOperations: [PatchOperation] }
        try await client.restJSONRaw(service: service, operation: "UpdateUsage", method: .PATCH,
                                     path: AWSURIEncoding.path(["usageplans", usagePlanId, "keys", keyId, "usage"]), input: Input(patchOperations: patchOperations))
    }

    /// Creates a usage plan (set-up and tests).
    public func createUsagePlan(name: String, apiStages: [UsagePlan.APIStage] = [], quota: UsagePlan.Quota? = nil) async throws -> UsagePlan {
        struct Input: Encodable { var name: String, apiStages: [UsagePlan.APIStage], quota: UsagePlan.Quota? }
        return try await client.restJSON(service: service, operation: "CreateUsagePlan", method: .POST, path: "/usageplans",
                                         input: Input(name: name, apiStages: apiStages, quota: quota))
    }
}
