import Testing
import HummingbirdTesting
import TestSupport
@Test func placeholder() { #expect(1 == 1) }
