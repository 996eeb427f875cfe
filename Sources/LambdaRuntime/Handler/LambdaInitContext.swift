public import Logging

/// What a handler factory gets at start-up, before the first invocation.
///
/// A factory that throws makes the runtime report an init error (`/runtime/init/error`) and exit.
public struct LambdaInitContext: Sendable {
    /// The process environment (the function's configuration and the Lambda-reserved variables).
    public let environment: [String: String]
    /// The runtime's logger.
    public let logger: Logger

    public init(environment: [String: String], logger: Logger) {
        self.environment = environment
        self.logger = logger
    }
}
