import Testing

/// The API-key suites that run the real `bootstrap` against the emulators, one test at a time:
/// they start processes (two functions, LocalStack) and load moto, which the other suites share.
@Suite(.serialized) enum APIKeyIntegration {}
