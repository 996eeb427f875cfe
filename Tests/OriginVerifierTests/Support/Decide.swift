import OriginVerifier

/// `verifier.verify(headerValue:)` as a free function, for use inside `#expect`: an expectation
/// shows the arguments of a method call when it fails, and these arguments are secret values.
func decision(of value: String?, by verifier: OriginVerifier) async -> Decision {
    await verifier.verify(headerValue: value)
}
