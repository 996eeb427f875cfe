public import Hummingbird
public import OriginVerifier

/// Guards a Hummingbird origin with an `OriginVerifier`: a request without a valid origin header gets
/// 403 and never reaches the application; an accepted request reaches it without the header, so the
/// value cannot leak into handlers, logs or upstream calls.
///
///     router.add(middleware: OriginVerifierMiddleware(verifier: verifier))
public struct OriginVerifierMiddleware<Context: RequestContext>: RouterMiddleware {
    public let verifier: OriginVerifier
    private let headerName: HTTPFields.Element.Name

    /// Checks the header `verifier.configuration.headerName`; throws when that is not a valid HTTP field name.
    public init(verifier: OriginVerifier) throws(OriginVerifierError) {
        guard let name = HTTPFields.Element.Name(verifier.configuration.headerName) else {
            throw .invalidEnvironment(variable: "HEADER_NAME", expected: "an HTTP header name such as x-origin-verify")
        }
        self.verifier = verifier
        self.headerName = name
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // A request carrying the header twice is treated as carrying none.
        let values = request.headers[values: headerName]
        let decision = await verifier.verify(headerValue: values.count == 1 ? values[0] : nil)
        guard decision.isAllowed else { return Response(status: .forbidden) }
        var head = request.head
        head.headerFields[headerName] = nil
        return try await next(Request(head: head, body: request.body), context)
    }
}
