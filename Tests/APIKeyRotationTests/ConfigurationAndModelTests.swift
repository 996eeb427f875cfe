@testable import APIKeyRotation
import Foundation
import Testing

/// Environment settings, the seed's formats, and the messages.
@Suite struct ConfigurationAndModelTests {
    @Test func defaultsAreTheDocumentedOnes() throws {
        let configuration = try APIKeyRotationConfiguration(environment: ["TABLE_NAME": "keys"])
        #expect(configuration.rotationIntervalDays == 30)
        #expect(configuration.gracePeriodHours == 24)
        #expect(configuration.storeKeyValue == false)
        #expect(configuration.keyLimit == 10_000)
        #expect(configuration.rotationIndexName == "RotationDueIndex")
        #expect(configuration.rates.keyWritesPerSecond < 5, "below API Gateway's 5/s CreateApiKey quota")
        #expect(configuration.rates.callsPerSecond < 10)
        #expect(configuration.rates.keyWritesPerSecondPerFunction == configuration.rates.keyWritesPerSecond / 2)
    }

    @Test(arguments: [("GRACE_PERIOD_HOURS", "soon"), ("ROTATION_INTERVAL_DAYS", "-1"), ("STORE_KEY_VALUE", "maybe"), ("MAX_CONCURRENCY", "0")])
    func aWrongSettingIsAnErrorNamingIt(name: String, value: String) {
        #expect {
            _ = try APIKeyRotationConfiguration(environment: ["TABLE_NAME": "t", name: value])
        } throws: { error in
            (error as? APIKeyRotationError)?.code == .invalidConfiguration && "\(error)".contains(name)
        }
    }

    @Test func theSeedsRotationLambdaArnAloneNamesTheQueueVariable() {
        #expect {
            _ = try AWSAPIKeyRotation.queueURL(environment: ["ROTATION_LAMBDA_ARN": "arn:aws:lambda:us-east-1:1:function:rotate"])
        } throws: { error in
            "\(error)".contains("ROTATION_QUEUE_URL") && "\(error)".contains("ROTATION_LAMBDA_ARN")
        }
        #expect(throws: APIKeyRotationError.self) { _ = try APIKeyRotationConfiguration(environment: [:]) }
    }

    @Test func timestampsAreWrittenAsJavaScriptsToISOString() throws {
        #expect(RotationTimestamp.string(from: Date(timeIntervalSince1970: 1_796_299_200)) == "2026-12-03T12:00:00.000Z")
        #expect(RotationTimestamp.string(from: Date(timeIntervalSince1970: 1_796_299_200.0456)) == "2026-12-03T12:00:00.045Z")
        #expect(RotationTimestamp.string(from: Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        let parsed = try #require(RotationTimestamp.date(from: "2026-12-03T12:00:00.000Z"))
        #expect(parsed.timeIntervalSince1970 == 1_796_299_200)
        #expect(RotationTimestamp.day(of: parsed) == "2026-12-03")
        #expect(RotationTimestamp.string(from: Date(timeIntervalSince1970: 1)) < RotationTimestamp.string(from: Date(timeIntervalSince1970: 1.5)), "strings sort in time order")
    }

    @Test func theSeedsDirectEventIsARotation() throws {
        let work = try JSONDecoder().decode(WorkItem.self, from: Data(#"{"APIGWKeyID":"abc123","usagePlanID":"plan9","itemID":"item-1"}"#.utf8))
        #expect(work == WorkItem(action: .rotate, itemID: "item-1", keyID: "abc123", usagePlanID: "plan9"))
        let queued = WorkItem(action: .retire, itemID: "i", keyID: "k", snapshot: KeySnapshot(plans: ["p"]))
        #expect(try JSONDecoder().decode(WorkItem.self, from: JSONEncoder().encode(queued)) == queued)
        #expect(throws: DecodingError.self) { _ = try JSONDecoder().decode(WorkItem.self, from: Data(#"{"itemID":"","APIGWKeyID":"k"}"#.utf8)) }
    }

    @Test func keyNamesAreStableAndSafe() {
        let name = KeyNaming.name(itemID: "tenant/ä 1", replacing: "k1")
        #expect(name == KeyNaming.name(itemID: "tenant/ä 1", replacing: "k1"))
        #expect(name != KeyNaming.name(itemID: "tenant/ä 1", replacing: "k2"))
        #expect(name.hasPrefix("keyrotator-k1-"))
        let ascii = name.allSatisfy { $0.isASCII }
        #expect(ascii)
        #expect(KeyNaming.tags(itemID: "tenant/ä 1", replacing: "k1")["keyrotator:item"] == nil, "an item id outside the tag alphabet is not a tag")
        #expect(KeyNaming.tags(itemID: "tenant-1", replacing: "k1")["keyrotator:item"] == "tenant-1")
    }

    @Test func theRateLimiterSpacesCallsAtItsRate() {
        let limiter = RateLimiter(ratePerSecond: 4, burst: 1)
        let start = ContinuousClock.now
        let waits = (0..<4).map { _ in limiter.reserve(at: start) }
        #expect(waits == [.zero, .milliseconds(250), .milliseconds(500), .milliseconds(750)])
        let later = limiter.reserve(at: start + .seconds(10))
        #expect(later == .zero, "idle time refills the bucket, up to the burst")
    }
}
