/// Tells consumers that an item's key changed, so that they fetch the new key (by id, under IAM):
/// EventBridge with `EVENT_BUS_NAME`. Events carry ids and times, never a key value.
public protocol RotationEventPublisher: Sendable {
    func publish(_ event: KeyLifecycleEvent) async throws
}

/// Publishes nothing (no `EVENT_BUS_NAME`).
public struct NoEventPublisher: RotationEventPublisher {
    public init() {}
    public func publish(_ event: KeyLifecycleEvent) async throws {}
}
