public import AWSServices
import Foundation

/// The real `bootstrap` running `apikey-sweep` and `apikey-rotate` under Runtime API emulators,
/// with the queue delivered to the rotate function as Lambda's SQS event source would.
public struct APIKeyFunctions: Sendable {
    public let sweep: RuntimeAPIEmulator
    public let rotate: RuntimeAPIEmulator
    public let scenario: APIKeyScenario

    /// The pair made of `sweep` and `rotate` (e.g. a second rotate function beside the first).
    public init(sweep: RuntimeAPIEmulator, rotate: RuntimeAPIEmulator, scenario: APIKeyScenario) {
        self.sweep = sweep
        self.rotate = rotate
        self.scenario = scenario
    }

    /// Starts both functions, runs `body`, and stops them.
    /// `rotateEnvironment`, when given, is the rotate function's (e.g. signed as another IAM user).
    public static func withFunctions<T>(_ scenario: APIKeyScenario, environment: [String: String]? = nil, rotateEnvironment: [String: String]? = nil,
                                        _ body: (APIKeyFunctions) async throws -> T) async throws -> T {
        let env = environment ?? scenario.environment()
        let sweep = try await RuntimeAPIEmulator.start(handler: "apikey-sweep", environment: env)
        let rotate: RuntimeAPIEmulator
        do { rotate = try await RuntimeAPIEmulator.start(handler: "apikey-rotate", environment: rotateEnvironment ?? env) } catch {
            await sweep.stop()
            throw error
        }
        let functions = APIKeyFunctions(sweep: sweep, rotate: rotate, scenario: scenario)
        do {
            let result = try await body(functions)
            await sweep.stop()
            await rotate.stop()
            return result
        } catch {
            await sweep.stop()
            await rotate.stop()
            throw error
        }
    }

    /// Runs the sweep once; returns its answer as a JSON object.
    public func runSweep() async throws -> [String: Any] {
        let outcome = try await sweep.invoke(RuntimeAPIInvocation(event: Array("{}".utf8), timeout: .seconds(900)), timeout: .seconds(300))
        guard let text = outcome.responseText, let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw APIKeyFunctionsError(description: "the sweep did not answer with a JSON object: \(outcome)")
        }
        return object
    }

    /// Receives what is queued and hands it to the rotate function in SQS events of up to 10
    /// records; deletes the records that succeeded. Returns the ids of failed records per batch.
    @discardableResult
    public func deliverQueue(maxBatches: Int = 100) async throws -> [String] {
        let sqs = SQSClient(client: scenario.client)
        var failed: [String] = []
        for _ in 0..<maxBatches {
            let messages = try await sqs.receiveMessage(queueURL: scenario.queueURL, maxMessages: 10, waitTimeSeconds: 0, visibilityTimeout: 1)
            if messages.isEmpty { break }
            let failures = try await deliver(messages)
            failed += failures
            let done = messages.filter { !failures.contains($0.messageId) }
            if !done.isEmpty {
                _ = try await sqs.deleteMessageBatch(queueURL: scenario.queueURL, entries: done.enumerated().map { (String($0.offset), $0.element.receiptHandle) })
            }
            if !failures.isEmpty { break }
        }
        return failed
    }

    /// Invokes the rotate function with an SQS event holding `messages`; returns the failed message ids.
    public func deliver(_ messages: [SQSClient.Message]) async throws -> [String] {
        try await deliver(records: messages.map { ($0.messageId, $0.body) })
    }

    /// Invokes the rotate function with an SQS event of these records; returns `batchItemFailures`' ids.
    public func deliver(records: [(messageId: String, body: String)]) async throws -> [String] {
        let event: [String: Any] = ["Records": records.map { record -> [String: Any] in
            ["messageId": record.messageId, "receiptHandle": "rh-\(record.messageId)", "body": record.body, "eventSource": "aws:sqs",
             "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:rotation", "awsRegion": "us-east-1", "attributes": ["ApproximateReceiveCount": "1"]]
        }]
        let data = try JSONSerialization.data(withJSONObject: event)
        let outcome = try await rotate.invoke(RuntimeAPIInvocation(event: Array(data), timeout: .seconds(120)), timeout: .seconds(150))
        guard let text = outcome.responseText, let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let failures = object["batchItemFailures"] as? [[String: Any]] else {
            throw APIKeyFunctionsError(description: "the rotate function did not answer with a batch response: \(outcome)")
        }
        return failures.compactMap { $0["itemIdentifier"] as? String }
    }
}

/// A function answered something other than what the test expects.
public struct APIKeyFunctionsError: Error, CustomStringConvertible {
    public var description: String
}
