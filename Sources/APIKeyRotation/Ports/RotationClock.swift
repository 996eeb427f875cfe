#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// The wall clock the rotation reads (`updateTime`, grace ends); tests set the time.
public protocol RotationClock: Sendable {
    func now() -> Date
}

/// The system's real-time clock.
public struct SystemRotationClock: RotationClock {
    public init() {}
    public func now() -> Date { Date() }
}
