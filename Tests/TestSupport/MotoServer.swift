import Foundation
public import LocalEmulator

/// The emulator the tests share: one moto per test process, with IAM authentication on.
public typealias MotoServer = MotoEmulator

extension MotoEmulator {
    /// The one emulator of this test process, started on first use. Safe to call from parallel tests.
    public static func shared() async throws -> MotoEmulator {
        try await sharedLauncher.server()
    }
}

private let sharedLauncher = SharedLauncher()

private actor SharedLauncher {
    private var starting: Task<MotoEmulator, any Error>?

    func server() async throws -> MotoEmulator {
        if let starting { return try await starting.value }
        let task = Task { try await MotoEmulator.launch(repositoryRoot: try MotoEmulator.repositoryRoot(from: #filePath)) }
        starting = task
        return try await task.value
    }
}
