public import APIKeyRotation
public import Foundation
import Synchronization

/// A ``RotationClock`` a test sets and advances.
public final class ManualRotationClock: RotationClock, Sendable {
    private let current: Mutex<Date>
    public init(_ date: Date = Date(timeIntervalSince1970: 1_796_212_800)) { current = Mutex(date) }
    public func now() -> Date { current.withLock { $0 } }
    public func advance(hours: Double) { current.withLock { $0 = $0.addingTimeInterval(hours * 3600) } }
    public func advance(days: Double) { advance(hours: days * 24) }
}
