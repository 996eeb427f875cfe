import AWSCore
public import CoreMetrics

/// What a `CloudFrontRotator` reports through swift-metrics: EMF documents in the
/// `cloudfront-rotation` function, the host's backend elsewhere. Dimensions are the step and an
/// error code, never a secret, a fingerprint or a version id.
public struct RotationMetrics: Sendable {
    /// The swift-metrics labels (the CloudWatch metric names).
    public enum Name {
        /// Timer, dimensions `Step` and `Outcome` (`Success` or the error code): how long each step took.
        public static let stepDuration = "RotationStepDuration"
        /// Counter, dimension `Step`: steps that failed (the function reports an error and Secrets
        /// Manager retries). Without `ErrorCode`, so that one alarm per step (or on the sum) covers
        /// every cause.
        public static let stepFailed = "RotationStepFailed"
        /// Counter: distributions whose configuration setSecret changed.
        public static let distributionsUpdated = "RotationDistributionsUpdated"
        /// Timer: how long finishSecret waited for the distributions to be `Deployed`.
        public static let deployedWait = "RotationDeployedWait"
        /// Timer: how long setSecret waited for the verifiers to learn the pending value.
        public static let verifierWait = "RotationVerifierWait"
    }

    /// The `Outcome` of a step that succeeded.
    public static let success = "Success"

    private let factory: any MetricsFactory

    /// Reports through `factory` (by default the process's `MetricsSystem`).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    /// Records one step's duration and outcome; `errorCode` is nil for success.
    func step(_ step: RotationStep, took duration: Duration, errorCode: String?) {
        Timer(label: Name.stepDuration, dimensions: [("Step", step.rawValue), ("Outcome", errorCode ?? Self.success)], factory: factory)
            .recordInterval(duration)
        if errorCode != nil {
            Counter(label: Name.stepFailed, dimensions: [("Step", step.rawValue)], factory: factory).increment()
        }
    }

    func distributionsUpdated(_ count: Int) {
        Counter(label: Name.distributionsUpdated, factory: factory).increment(by: count)
    }

    func waitedForDeployment(_ duration: Duration) {
        Timer(label: Name.deployedWait, factory: factory).recordInterval(duration)
    }

    func waitedForVerifiers(_ duration: Duration) {
        Timer(label: Name.verifierWait, factory: factory).recordInterval(duration)
    }

    /// The stable code a failure is counted under: a `RotationError`'s code, an AWS error code, or
    /// the error's type (bounded: the EMF backend folds values past its limit into `Other`).
    static func code(of error: any Error) -> String {
        switch error {
        case let error as RotationError: error.code.rawValue
        case let error as AWSError: error.code
        case is CancellationError: "Cancelled"
        default: String(describing: type(of: error))
        }
    }
}

extension Timer {
    fileprivate func recordInterval(_ duration: Duration) {
        recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
}
