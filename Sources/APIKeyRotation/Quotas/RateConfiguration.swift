/// API Gateway's account-wide rates, divided among the functions the queue runs at once.
///
/// CreateApiKey and DeleteApiKey allow 5 requests/s per account, all management calls together
/// about 10/s; neither can be raised. The queue's event source mapping runs at most
/// `maxConcurrency` rotate functions at once, so each takes `1/maxConcurrency` of each budget:
/// the limiter is shared by design, with no coordination at run time.
public struct RateConfiguration: Sendable, Equatable {
    /// `APIGATEWAY_KEY_RATE` (4.8): CreateApiKey and DeleteApiKey per second, for the whole account.
    public var keyWritesPerSecond: Double
    /// `APIGATEWAY_CALL_RATE` (9.6): API Gateway calls per second, for the whole account.
    public var callsPerSecond: Double
    /// `MAX_CONCURRENCY` (2): the event source mapping's maximum concurrency.
    public var maxConcurrency: Int

    public init(keyWritesPerSecond: Double = 4.8, callsPerSecond: Double = 9.6, maxConcurrency: Int = 2) {
        self.keyWritesPerSecond = keyWritesPerSecond
        self.callsPerSecond = callsPerSecond
        self.maxConcurrency = max(1, maxConcurrency)
    }

    public init(environment: [String: String]) throws(APIKeyRotationError) {
        let read = EnvironmentReader(environment)
        self.init(keyWritesPerSecond: try read.number("APIGATEWAY_KEY_RATE", default: 4.8, minimum: 0.01),
                  callsPerSecond: try read.number("APIGATEWAY_CALL_RATE", default: 9.6, minimum: 0.01),
                  maxConcurrency: Int(try read.number("MAX_CONCURRENCY", default: 2, minimum: 1)))
    }

    /// This process's share of the key-write budget.
    public var keyWritesPerSecondPerFunction: Double { keyWritesPerSecond / Double(maxConcurrency) }
    /// This process's share of the call budget.
    public var callsPerSecondPerFunction: Double { callsPerSecond / Double(maxConcurrency) }
}
