import Testing
@testable import AWSCore
