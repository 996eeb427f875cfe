import Testing
@testable import LambdaRuntime
