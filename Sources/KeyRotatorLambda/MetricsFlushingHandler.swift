import EMFMetrics
import LambdaRuntime

/// Runs a handler and writes the metrics it recorded before the invocation answers: Lambda may
/// freeze the process the moment the answer is sent, and a document written then reaches the log
/// only at the next invocation, or never.
struct MetricsFlushingHandler: LambdaHandler {
    /// When the aggregated metrics are written.
    enum Policy: Sendable {
        /// After every invocation: functions invoked a few times an hour (rotation steps, sweeps,
        /// queue batches), where each document is a whole invocation's worth.
        case everyInvocation
        /// When the flush interval has passed since the last document: the authorizer, invoked per
        /// request, writes one document every few seconds however busy it is.
        case whenDue
    }

    let handler: any LambdaHandler
    let metrics: EMFMetricsFactory
    let policy: Policy

    func handle(_ event: [UInt8], context: LambdaContext) async throws -> [UInt8] {
        defer {
            switch policy {
            case .everyInvocation: _ = metrics.flush()
            case .whenDue: _ = metrics.flushIfDue()
            }
        }
        return try await handler.handle(event, context: context)
    }
}
