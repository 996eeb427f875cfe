import AWSCore
import LambdaRuntime

/// The handlers this `bootstrap` can run, by the name set as the function's Handler (`_HANDLER`).
struct HandlerRegistry: Sendable {
    private let factories: [String: LambdaRuntime.HandlerFactory]

    init(_ factories: [String: LambdaRuntime.HandlerFactory]) {
        self.factories = factories
    }

    /// Every handler of this build.
    static let standard = HandlerRegistry([
        "echo": { _ in EchoHandler() },
        "origin-authorizer": { context in
            do { return try await OriginAuthorizerHandler(context: context) } catch { throw ReportedError(error) }
        },
        "cloudfront-rotation": { context in
            do { return try CloudFrontRotationHandler(context: context) } catch { throw ReportedError(error) }
        },
        "apikey-sweep": { context in
            do { return try APIKeySweepHandler(context: context) } catch { throw ReportedError(error) }
        },
        "apikey-rotate": { context in
            do { return try APIKeyRotateHandler(context: context) } catch { throw ReportedError(error) }
        },
    ])

    /// The product token the functions' AWS calls carry in `User-Agent`.
    static let userAgent = "keyrotator-lambda/1"

    /// The registered names, sorted.
    var names: [String] { factories.keys.sorted() }

    /// How often each handler writes its metrics (see `MetricsFlushingHandler`).
    static func metricsPolicy(handler name: String) -> MetricsFlushingHandler.Policy {
        name == "origin-authorizer" ? .whenDue : .everyInvocation
    }

    /// Builds the handler `_HANDLER` names.
    func makeHandler(context: LambdaInitContext) async throws -> any LambdaHandler {
        let requested = context.environment["_HANDLER"]?.trimmingWhitespace()
        guard let requested, !requested.isEmpty else {
            throw UnknownHandlerError(requested: nil, validNames: names)
        }
        guard let factory = factories[requested] else {
            throw UnknownHandlerError(requested: requested, validNames: names)
        }
        return try await factory(context)
    }
}
