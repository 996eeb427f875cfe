#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import APIKeyRotation
import AWSCore
import LambdaRuntime
import Logging

/// `apikey-rotate`: consumes the rotation queue (an SQS event, answered with partial batch
/// responses that name exactly the records that failed) and also takes one unit of work directly,
/// including APIGateway-API-Key-Auto-Rotation's event `{"APIGWKeyID", "usagePlanID", "itemID"}`. Answers ids, never a value.
struct APIKeyRotateHandler: LambdaHandler {
    let rotator: APIKeyRotator
    /// Records not started when less than this is left are handed back to the queue.
    let startMargin: Duration = .seconds(10)

    init(context: LambdaInitContext) throws {
        let configuration = try APIKeyRotationConfiguration(environment: context.environment)
        let client = try AWSClient.fromEnvironment(AWSEnvironment(variables: context.environment), logger: context.logger)
        rotator = AWSAPIKeyRotation.rotator(configuration: configuration, client: client,
                                            eventBusName: AWSAPIKeyRotation.eventBusName(environment: context.environment), logger: context.logger)
    }

    struct SQSEvent: Decodable {
        struct Record: Decodable {
            var messageId: String
            var body: String
        }
        var Records: [Record]
    }

    private struct Probe: Decodable { var Records: [IgnoredRecord]? }
    private struct IgnoredRecord: Decodable {}

    struct BatchResponse: Encodable {
        struct Failure: Encodable { var itemIdentifier: String }
        var batchItemFailures: [Failure]
    }

    func handle(_ event: [UInt8], context: LambdaContext) async throws -> [UInt8] {
        let decoder = JSONDecoder()
        let isQueueEvent = (try? decoder.decode(Probe.self, from: Data(event)))?.Records != nil
        if isQueueEvent {
            let sqsEvent: SQSEvent
            do { sqsEvent = try decoder.decode(SQSEvent.self, from: Data(event)) } catch let error as DecodingError {
                throw LambdaEventDecodingError(error, eventType: SQSEvent.self)
            }
            let failures = await handle(sqsEvent.Records, context: context)
            return Array(try JSONEncoder().encode(BatchResponse(batchItemFailures: failures.map { .init(itemIdentifier: $0) })))
        }
        let work: WorkItem
        do { work = try decoder.decode(WorkItem.self, from: Data(event)) } catch let error as DecodingError {
            throw LambdaEventDecodingError(error, eventType: WorkItem.self)
        }
        do {
            return Array(try JSONEncoder().encode(try await rotator.perform(work, logger: context.logger)))
        } catch {
            context.logger.error("api key work failed", metadata: ["item": "\(work.itemID)", "action": "\(work.action.rawValue)", "error": "\(error)"])
            throw ReportedError(error)
        }
    }

    /// Performs the records at once (the rate limiter paces API Gateway); returns the ids of those that failed.
    private func handle(_ records: [SQSEvent.Record], context: LambdaContext) async -> [String] {
        let failed = await withTaskGroup(of: String?.self) { group in
            for record in records {
                group.addTask { await perform(record, context: context) ? nil : record.messageId }
            }
            var failed: [String] = []
            for await id in group { if let id { failed.append(id) } }
            return failed
        }
        let order = Dictionary(records.enumerated().map { ($1.messageId, $0) }, uniquingKeysWith: { first, _ in first })
        context.logger.info("batch done", metadata: ["records": "\(records.count)", "failed": "\(failed.count)"])
        return failed.sorted { (order[$0] ?? 0) < (order[$1] ?? 0) }
    }

    private func perform(_ record: SQSEvent.Record, context: LambdaContext) async -> Bool {
        var logger = context.logger
        logger[metadataKey: "messageId"] = "\(record.messageId)"
        let work: WorkItem
        do {
            work = try JSONDecoder().decode(WorkItem.self, from: Data(record.body.utf8))
        } catch let error as DecodingError {
            logger.error("message is not a unit of work", metadata: ["error": "\(LambdaEventDecodingError(error, eventType: WorkItem.self))"])
            return false
        } catch {
            logger.error("message is not a unit of work", metadata: ["error": "\(error)"])
            return false
        }
        guard context.remainingTime > startMargin else {
            logger.notice("too little time left: handed back to the queue", metadata: ["item": "\(work.itemID)"])
            return false
        }
        do {
            _ = try await rotator.perform(work, logger: logger)
            return true
        } catch {
            let reported = ReportedError(error)
            logger.error("api key work failed", metadata: ["item": "\(work.itemID)", "action": "\(work.action.rawValue)",
                                                           "errorType": "\(reported.errorType)", "error": "\(reported.description)"])
            return false
        }
    }
}
