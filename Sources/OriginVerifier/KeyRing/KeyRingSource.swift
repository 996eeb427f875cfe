/// Where a verifier's key ring comes from: `KeyRingLoader` reads Secrets Manager; tests use one in
/// memory to drive the refresh state machine without an emulator.
protocol KeyRingSource: Sendable {
    /// Loads the secret's labelled versions, reusing what `known` already holds (versions never
    /// change once stored), within `timeout` in all.
    func load(known: [String: KeyRingLoader.VersionState], timeout: Duration) async -> Result<KeyRingLoader.Snapshot, OriginVerifierError>
}

extension KeyRingLoader: KeyRingSource {}
