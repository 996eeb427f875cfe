#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import AWSServices

/// ``RotationEventPublisher`` over EventBridge `PutEvents`: source `keyrotator.apikeys`, detail type
/// `API Key Rotated` or `API Key Retired`, detail `{itemID, APIGWKeyID, previousAPIGWKeyID,
/// graceEndsAt, usagePlanIDs}`.
public struct EventBridgePublisher: RotationEventPublisher {
    public static let source = "keyrotator.apikeys"
    public let eventBridge: EventBridgeClient
    public let eventBusName: String

    public init(eventBridge: EventBridgeClient, eventBusName: String) {
        self.eventBridge = eventBridge
        self.eventBusName = eventBusName
    }

    public func publish(_ event: KeyLifecycleEvent) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let detail = String(decoding: try encoder.encode(event), as: UTF8.self)
        let result = try await eventBridge.putEvents([.init(source: Self.source, detailType: event.kind.rawValue, detail: detail, eventBusName: eventBusName)])
        if result.failedEntryCount > 0 {
            let entry = result.entries.first { $0.errorCode != nil }
            throw APIKeyRotationError(.invalidConfiguration, "EventBridge refused the \(event.kind.rawValue) event for item \(event.itemID) on bus \(eventBusName): \(entry?.errorCode ?? "unknown error") \(entry?.errorMessage ?? ""); check EVENT_BUS_NAME and the function's events:PutEvents permission.")
        }
    }
}
