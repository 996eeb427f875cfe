public import AsyncHTTPClient
public import Logging
import NIOCore
public import NIOHTTP1
import Synchronization

/// Sends signed requests to AWS services, with the standard retry mode and a per-attempt timeout,
/// and turns error responses into `AWSError`. One client serves every service in one region.
public final class AWSClient: Sendable {
    public let region: String
    public let environment: AWSEnvironment
    public let retryPolicy: RetryPolicy
    /// The time one attempt may take, connection included.
    public let timeout: Duration
    /// How requests reach AWS: direct or through a proxy, with which CAs trusted.
    public let transport: AWSHTTPTransport
    /// The `User-Agent` of every request: the caller's product token (e.g. `keyrotator/1`).
    public let userAgent: String
    /// The `User-Agent` when the caller names none.
    public static let defaultUserAgent = "aws-client-swift/1"
    private let credentials: CredentialCache
    private let logger: Logger
    private let endpoints = Mutex<[AWSService: AWSEndpoint]>([:])

    /// A client whose requests all go through `httpClient`, or by default connect directly through
    /// a client that never follows a redirect (see `AWSHTTPTransport`).
    public convenience init(region: String, credentialProvider: any CredentialProvider, environment: AWSEnvironment = .process,
                            httpClient: HTTPClient? = nil, retryPolicy: RetryPolicy? = nil, timeout: Duration = .seconds(20),
                            userAgent: String = AWSClient.defaultUserAgent, logger: Logger) {
        self.init(region: region, credentialProvider: credentialProvider, environment: environment,
                  transport: httpClient.map { .fixed($0) } ?? .direct,
                  retryPolicy: retryPolicy, timeout: timeout, userAgent: userAgent, logger: logger)
    }

    /// A client whose requests go where `transport` sends them (e.g. through the environment's proxy).
    public init(region: String, credentialProvider: any CredentialProvider, environment: AWSEnvironment = .process,
                transport: AWSHTTPTransport, retryPolicy: RetryPolicy? = nil, timeout: Duration = .seconds(20),
                userAgent: String = AWSClient.defaultUserAgent, logger: Logger) {
        self.region = region
        self.userAgent = userAgent
        self.environment = environment
        self.credentials = CredentialCache(provider: credentialProvider)
        self.transport = transport
        self.retryPolicy = retryPolicy ?? .standard(environment: environment)
        self.timeout = timeout
        self.logger = logger
    }

    /// A client configured from the standard AWS environment: region from `AWS_REGION`,
    /// `AWS_DEFAULT_REGION` or the profile; credentials from the default provider chain (botocore's
    /// order); proxies from `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` and extra CAs from `AWS_CA_BUNDLE`
    /// or the profile's `ca_bundle`, for every call including STS and IAM Identity Center.
    ///
    /// - Parameters:
    ///   - httpClient: send everything through this client instead, ignoring the proxy and CA settings.
    ///   - mfaCodeProvider: asks the user for an MFA code when a profile has `mfa_serial`; without
    ///     it such a profile fails with an error that says a terminal is needed.
    public static func fromEnvironment(_ environment: AWSEnvironment = .process, httpClient: HTTPClient? = nil,
                                       mfaCodeProvider: MFACodeProvider? = nil, timeout: Duration = .seconds(20),
                                       userAgent: String = AWSClient.defaultUserAgent, logger: Logger) throws(AWSConfigurationError) -> AWSClient {
        let region = try RegionResolver.resolve(environment)
        let transport: AWSHTTPTransport
        if let httpClient {
            transport = .fixed(httpClient)
        } else {
            transport = AWSHTTPTransport(settings: try .fromEnvironment(environment))
        }
        let context = CredentialContext(environment: environment, transport: transport, mfaCodeProvider: mfaCodeProvider, logger: logger)
        return AWSClient(region: region, credentialProvider: CredentialProviderChain.default(context: context),
                         environment: environment, transport: transport, timeout: timeout, userAgent: userAgent, logger: logger)
    }

    /// The credentials requests are signed with and the sources they came through (for `--verbose`
    /// output and diagnostics: show `maskedAccessKeyId`, never the keys).
    public func resolvedCredentials() async throws -> ResolvedCredentials {
        try await credentials.resolve()
    }

    /// The endpoint requests for `service` go to.
    public func endpoint(for service: AWSService) throws(AWSConfigurationError) -> AWSEndpoint {
        if let known = endpoints.withLock({ $0[service] }) { return known }
        let resolved = try AWSEndpoint.resolve(service: service, region: region, environment: environment)
        endpoints.withLock { $0[service] = resolved }
        return resolved
    }

    /// Sends one operation. `path` is the wire path below the endpoint (percent-encoded).
    /// Throws `AWSError` for an error response, `AWSTransportError` when no answer came,
    /// `AWSConfigurationError` for a local configuration problem.
    ///
    /// With `retryingAmbiguousFailures` false, a failure after which the request may have taken
    /// effect (no answer, a timeout, a 5xx) is thrown at once instead of retried: for operations
    /// that are not idempotent (API Gateway's CreateApiKey makes a second key), so that the caller
    /// can look for what the first attempt did. Throttling is still retried: the service refused it.
    public func send(service: AWSService, operation: String, method: HTTPMethod, path: String = "/",
                     query: [(name: String, value: String)] = [], headers: HTTPHeaders = [:],
                     body: [UInt8] = [], retryingAmbiguousFailures: Bool = true) async throws -> AWSHTTPResponse {
        try await send(service: service, operation: operation, method: method, path: path, query: query, headers: headers, body: body, signed: true,
                       retryingAmbiguousFailures: retryingAmbiguousFailures)
    }

    /// Sends one operation, unsigned when `signed` is false (STS AssumeRoleWithWebIdentity and the
    /// IAM Identity Center portal take no SigV4 signature).
    func send(service: AWSService, operation: String, method: HTTPMethod, path: String = "/",
              query: [(name: String, value: String)] = [], headers: HTTPHeaders = [:],
              body: [UInt8] = [], signed: Bool, retryingAmbiguousFailures: Bool = true) async throws -> AWSHTTPResponse {
        let endpoint = try endpoint(for: service)
        var attempt = 1
        while true {
            let failure: RetryPolicy.Failure
            let finalError: any Error
            do {
                let response = try await sendOnce(service: service, endpoint: endpoint, operation: operation, method: method,
                                                   path: path, query: query, headers: headers, body: body, signed: signed)
                if (200..<300).contains(response.statusCode) {
                    retryPolicy.recordSuccess(retried: attempt > 1)
                    return response
                }
                let error = AWSErrorDecoder.decode(response, service: service, operation: operation)
                failure = .response(statusCode: error.statusCode, code: error.code)
                finalError = error
            } catch let error as AWSConfigurationError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                let isTimeout = Self.isTimeout(error)
                failure = .transport(isTimeout: isTimeout)
                finalError = AWSTransportError(service: service.signingName, operation: operation, endpoint: "\(endpoint.scheme)://\(endpoint.host)\(endpoint.port.map { ":\($0)" } ?? "")",
                                               attempts: attempt, isTimeout: isTimeout, reason: String(describing: error))
            }
            guard retryingAmbiguousFailures || !failure.mayHaveTakenEffect,
                  let delay = retryPolicy.delayBeforeRetry(after: failure, attempt: attempt) else {
                logger.debug("aws call failed", metadata: ["operation": "\(operation)", "attempts": "\(attempt)", "error": "\(finalError)"])
                throw finalError
            }
            logger.debug("aws call retrying", metadata: ["operation": "\(operation)", "attempt": "\(attempt)", "delay": "\(delay)", "error": "\(finalError)"])
            try await Task.sleep(for: delay)
            attempt += 1
        }
    }

    private func sendOnce(service: AWSService, endpoint: AWSEndpoint, operation: String, method: HTTPMethod, path: String,
                          query: [(name: String, value: String)], headers: HTTPHeaders,
                          body: [UInt8], signed: Bool) async throws -> AWSHTTPResponse {
        var request = AWSHTTPRequest(method: method, scheme: endpoint.scheme, host: endpoint.host, port: endpoint.port,
                                     path: endpoint.basePath + (path.hasPrefix("/") ? path : "/" + path),
                                     query: query, headers: headers, body: body)
        request.headers.replaceOrAdd(name: "User-Agent", value: userAgent)
        let sendsBody = !body.isEmpty || method == .POST || method == .PUT
        if sendsBody { request.headers.replaceOrAdd(name: "Content-Length", value: String(body.count)) }
        if signed {
            let signer = SigV4Signer(credentials: try await credentials.credentials(), signingName: service.signingName, region: endpoint.signingRegion)
            signer.sign(&request)
        } else if !request.headers.contains(name: "Host") {
            request.headers.add(name: "Host", value: request.hostHeader)
        }
        let httpClient = try transport.client(scheme: endpoint.scheme, host: endpoint.host, port: endpoint.port)

        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = method
        outgoing.headers = request.headers
        // AsyncHTTPClient sets Content-Length from the body it is given.
        outgoing.headers.remove(name: "Content-Length")
        if sendsBody {
            outgoing.body = .bytes(ByteBuffer(bytes: body))
        }
        let started = ContinuousClock.now
        let response = try await httpClient.execute(outgoing, timeout: TimeAmount(timeout))
        let collected = try await response.body.collect(upTo: 16 << 20)
        let result = AWSHTTPResponse(statusCode: Int(response.status.code), headers: response.headers, body: Array(buffer: collected))
        logger.trace("aws call", metadata: [
            "service": "\(service.signingName)", "operation": "\(operation)", "status": "\(result.statusCode)",
            "requestId": "\(result.headers.first(name: "x-amzn-RequestId") ?? result.headers.first(name: "x-amz-request-id") ?? "-")",
            "elapsed": "\(ContinuousClock.now - started)",
        ])
        return result
    }

    static func isTimeout(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError {
            return [.deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout].contains(error)
        }
        return false
    }
}
