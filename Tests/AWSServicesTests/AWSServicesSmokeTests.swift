import Testing
@testable import AWSServices
