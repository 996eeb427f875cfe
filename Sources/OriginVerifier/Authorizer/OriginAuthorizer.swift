import AWSCore
/// An API Gateway Lambda authorizer for the origin header: turns an event into a decision of an
/// `OriginVerifier` and the response API Gateway expects. A Lambda handler only passes bytes through:
///
///     let verifier = OriginVerifier(configuration: try .fromEnvironment(env), secretsManager: sm, logger: logger)
///     let authorizer = OriginAuthorizer(verifier: verifier, options: try .fromEnvironment(env))
///     // per invocation:
///     let response = try await authorizer.handle(event: eventBytes)
public struct OriginAuthorizer: Sendable {
    /// How the authorizer answers.
    public struct Options: Sendable, Hashable {
        /// The `principalId` of IAM policy answers.
        public var principalId: String
        /// The answer shape for HTTP API payload 2.0 events.
        public var httpAPIFormat: AuthorizerResponse.HTTPAPIFormat

        public init(principalId: String = "cloudfront-origin", httpAPIFormat: AuthorizerResponse.HTTPAPIFormat = .simple) {
            self.principalId = principalId
            self.httpAPIFormat = httpAPIFormat
        }

        /// `AUTHORIZER_PRINCIPAL_ID` (default `cloudfront-origin`) and `HTTP_API_RESPONSE_FORMAT`
        /// (`simple`, the default, or `iamPolicy`).
        public static func fromEnvironment(_ environment: [String: String]) throws(OriginVerifierError) -> Options {
            var options = Options()
            if let principal = environment["AUTHORIZER_PRINCIPAL_ID"]?.trimmingWhitespace(), !principal.isEmpty {
                options.principalId = principal
            }
            if let format = environment["HTTP_API_RESPONSE_FORMAT"]?.trimmingWhitespace(), !format.isEmpty {
                guard let parsed = AuthorizerResponse.HTTPAPIFormat(rawValue: format) else {
                    throw .invalidEnvironment(variable: "HTTP_API_RESPONSE_FORMAT", expected: "simple or iamPolicy")
                }
                options.httpAPIFormat = parsed
            }
            return options
        }
    }

    public let verifier: OriginVerifier
    public let options: Options

    public init(verifier: OriginVerifier, options: Options = Options()) {
        self.verifier = verifier
        self.options = options
    }

    /// Verifies the header of one authorizer event and returns the response JSON. Throws only for an
    /// event that is not an authorizer event (API Gateway then answers 500, never letting it through).
    /// `deadline` is when the answer must be ready (the invocation's deadline minus a margin): a
    /// refresh still running then is not waited for.
    public func handle(event: some Collection<UInt8>, deadline: ContinuousClock.Instant? = nil) async throws(AuthorizerEventError) -> [UInt8] {
        let parsed = try AuthorizerEvent.parse(event, headerName: verifier.configuration.headerName)
        let decision = await verifier.verify(headerValue: parsed.headerValue, deadline: deadline)
        return AuthorizerResponse.json(for: decision, event: parsed, principalId: options.principalId, httpAPIFormat: options.httpAPIFormat)
    }
}
