/// A Lambda function: takes the raw event bytes of one invocation and answers the raw response bytes.
///
/// Throwing reports an invocation error (`errorType`, `errorMessage`) to the Runtime API; the process
/// keeps serving the next invocation. Most handlers adopt ``JSONLambdaHandler`` instead.
public protocol LambdaHandler: Sendable {
    /// Handles one invocation.
    func handle(_ event: [UInt8], context: LambdaContext) async throws -> [UInt8]
}
