import Hummingbird
import OriginVerifier

/// An origin behind API Gateway with a Lambda authorizer and its result cache: the request's origin
/// header goes through `cache`, and on a miss to the verifier, as the authorizer would send it. A
/// refused request gets 403; an accepted one reaches the application without the header.
struct AuthorizerCacheMiddleware<Context: RequestContext>: RouterMiddleware {
    let verifier: OriginVerifier
    let cache: AuthorizerResultCache
    let headerName: HTTPFields.Element.Name

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let values = request.headers[values: headerName]
        // API Gateway answers 401 without calling the authorizer when the identity source is missing.
        guard values.count == 1 else { return Response(status: values.isEmpty ? .unauthorized : .forbidden) }
        let value = values[0]
        guard await cache.isAllowed(value, authorize: { await verifier.verify(headerValue: value).isAllowed }) else {
            return Response(status: .forbidden)
        }
        var head = request.head
        head.headerFields[headerName] = nil
        return try await next(Request(head: head, body: request.body), context)
    }
}
