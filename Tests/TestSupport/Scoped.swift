/// Runs `body` with a started `resource`, then awaits `cleanup` whether `body` returned or threw:
/// the shape of hummingbird's `app.test { }`, for the `with` helpers of the test support.
/// Returns what `body` returned, or rethrows what it threw (before any error of `cleanup`).
public func withCleanup<Resource, T: Sendable>(
    _ resource: Resource,
    _ body: (Resource) async throws -> T,
    cleanup: (Resource) async throws -> Void
) async throws -> T {
    let result: Result<T, any Error>
    do {
        result = .success(try await body(resource))
    } catch {
        result = .failure(error)
    }
    do {
        try await cleanup(resource)
    } catch {
        _ = try result.get()
        throw error
    }
    return try result.get()
}
