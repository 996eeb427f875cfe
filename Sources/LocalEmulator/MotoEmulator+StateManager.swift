import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension MotoEmulator {
    /// How moto advances a model's status (moto's state manager, `/moto-api/state-manager`).
    public enum Progression: Sendable, Equatable {
        /// Final status at once.
        case immediate
        /// One status step per `times` describes of the resource.
        case manual(times: Int)
        /// One status step after `seconds`.
        case time(seconds: Int)
    }

    /// moto's name for CloudFront distributions in the state manager.
    public static let cloudFrontDistributionModel = "cloudfront::distribution"

    /// Sets how `modelName` (e.g. `cloudfront::distribution`) moves through its statuses.
    /// A new CloudFront distribution is `InProgress` until described `times` times with `.manual(times:)`.
    public func setTransition(modelName: String, _ progression: Progression) async throws {
        let transition: [String: any Sendable] = switch progression {
        case .immediate: ["progression": "immediate"]
        case .manual(let times): ["progression": "manual", "times": times]
        case .time(let seconds): ["progression": "time", "seconds": seconds]
        }
        try await postMotoAPI("set-transition", ["model_name": modelName, "transition": transition])
    }

    /// Restores moto's default progression for `modelName`.
    public func unsetTransition(modelName: String) async throws {
        try await postMotoAPI("unset-transition", ["model_name": modelName])
    }

    private func postMotoAPI(_ operation: String, _ json: [String: any Sendable]) async throws {
        var request = HTTPClientRequest(url: "\(endpoint)/moto-api/state-manager/\(operation)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let data = try JSONSerialization.data(withJSONObject: json)
        request.body = .bytes(ByteBuffer(bytes: data))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(response.status.code) else {
            throw MotoEmulatorError.stateManager(status: response.status.code, body: String(buffer: body))
        }
    }
}
