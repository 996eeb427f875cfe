import Foundation
import KeyRotation
import LocalEmulator
import TestSupport

/// The real `bootstrap` running the `cloudfront-rotation` handler under the Runtime API emulator,
/// played to as Secrets Manager would: one invocation per step, with the rotation's token.
struct RotationFunction {
    let lambda: RuntimeAPIEmulator
    let scenario: OriginSecretScenario

    /// Starts the function for `scenario`, its AWS calls going to `endpoint` (moto or a proxy), runs
    /// `body`, and awaits the function's stop whatever happens.
    static func with<T: Sendable>(_ scenario: OriginSecretScenario, moto: MotoServer, endpoint: String? = nil, originURL: String? = nil,
                                  extra: [String: String] = [:], _ body: (RotationFunction) async throws -> T) async throws -> T {
        let environment = environment(scenario, moto: moto, endpoint: endpoint, originURL: originURL, extra: extra)
        return try await RuntimeAPIEmulator.with(handler: "cloudfront-rotation", environment: environment) { lambda in
            try await body(RotationFunction(lambda: lambda, scenario: scenario))
        }
    }

    private static func environment(_ scenario: OriginSecretScenario, moto: MotoServer, endpoint: String?, originURL: String?,
                                     extra: [String: String]) -> [String: String] {
        var environment = moto.environment().merging(scenario.environment(originURL: originURL)) { _, new in new }
        environment["AWS_EC2_METADATA_DISABLED"] = "true"
        if let endpoint { environment["AWS_ENDPOINT_URL"] = endpoint }
        environment.merge(extra) { _, new in new }
        return environment
    }

    /// Invokes one step and returns what the function answered.
    /// `requestID` names the invocation, e.g. to read its ``RuntimeAPIDelivery`` afterwards.
    func invoke(_ step: RotationStep, token: String, timeout: Duration = .seconds(60),
                requestID: String = UUID().uuidString.lowercased()) async throws -> RuntimeAPIOutcome {
        let event = #"{"Step":"\#(step.rawValue)","SecretId":"\#(scenario.secretName)","ClientRequestToken":"\#(token)"}"#
        return try await lambda.invoke(RuntimeAPIInvocation(event: Array(event.utf8), requestID: requestID, timeout: timeout))
    }

    /// Invokes the steps in order and returns the first error report, if any.
    func run(_ steps: [RotationStep] = RotationStep.allCases, token: String) async throws -> RuntimeAPIErrorReport? {
        for step in steps {
            if let report = try await invoke(step, token: token).errorReport { return report }
        }
        return nil
    }
}
