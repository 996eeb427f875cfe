/// Pages of a paginated AWS operation, fetched one at a time as the caller iterates.
/// The sequence ends when the service stops returning a continuation token.
public struct PageSequence<Page: Sendable>: AsyncSequence, Sendable {
    public typealias Element = Page
    /// Fetches the page that starts at `token` (nil for the first) and returns it with the next token.
    public typealias Fetch = @Sendable (_ token: String?) async throws -> (page: Page, next: String?)

    private let fetch: Fetch

    public init(_ fetch: @escaping Fetch) { self.fetch = fetch }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let fetch: Fetch
        var token: String?
        var finished = false
        var seenTokens: Set<String> = []

        public mutating func next() async throws -> Page? {
            guard !finished else { return nil }
            let (page, next) = try await fetch(token)
            if let next, !next.isEmpty, seenTokens.insert(next).inserted {
                token = next
            } else {
                // No token, or a token seen before (a service bug that would loop forever).
                finished = true
            }
            return page
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(fetch: fetch) }

    /// Every page, collected.
    public func collect() async throws -> [Page] {
        var pages: [Page] = []
        for try await page in self { pages.append(page) }
        return pages
    }
}
