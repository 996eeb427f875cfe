import CoreMetrics
import EMFMetrics
import InMemoryLogging
import Testing
import TestSupport

@Suite("What CloudWatch would refuse is dropped, counted and never crashes")
struct EMFValidationTests {
    @Test(arguments: [
        "", "   ", String(repeating: "n", count: 256), "tab\there", "new\nline", "nul\u{0}", "_aws",
    ])
    func invalidMetricNamesAreRefused(name: String) throws {
        let harness = Harness()
        harness.factory.makeCounter(label: name, dimensions: []).increment(by: 1)
        harness.factory.makeTimer(label: name, dimensions: []).recordNanoseconds(1)

        #expect(try harness.flushDocuments().isEmpty)
        #expect(harness.factory.diagnostics.refusedMetrics == 2)
        #expect(harness.log.entries.count == 2)
    }

    @Test func aNameOf255CharactersIsAccepted() throws {
        let harness = Harness()
        let name = String(repeating: "n", count: 255)
        harness.factory.makeCounter(label: name, dimensions: []).increment(by: 1)

        #expect(try harness.flushDocuments().first?.number(name) == 1)
    }

    @Test(arguments: [
        ("Stage", ""), ("Stage", " "), ("", "current"), (":Stage", "current"), ("Stage", "caf\u{E9}"),
        ("St\tage", "current"), ("Stage", String(repeating: "v", count: 1025)),
        (String(repeating: "d", count: 251), "current"), ("_aws", "x"), ("Allowed", "x"),
    ])
    func invalidDimensionsRefuseTheMetric(name: String, value: String) throws {
        let harness = Harness()
        harness.factory.makeCounter(label: "Allowed", dimensions: [(name, value)]).increment(by: 1)

        #expect(try harness.flushDocuments().isEmpty)
        #expect(harness.factory.diagnostics.refusedMetrics == 1)
        let logged = harness.log.entries.map { "\($0.message) \($0.metadata)" }.joined()
        #expect(value.count < 2 || !logged.contains(value), "a dimension value is never logged")
    }

    @Test func aDimensionValueOf1024CharactersIsAccepted() throws {
        let harness = Harness()
        let value = String(repeating: "v", count: 1024)
        harness.factory.makeCounter(label: "Allowed", dimensions: [("Stage", value)]).increment(by: 1)

        #expect(try harness.flushDocuments().first?.dimensions["Stage"] == value)
    }

    @Test func twoDimensionsOfOneNameRefuseTheMetricButAMetricDimensionOverridesADefault() throws {
        let harness = Harness(EMFConfiguration(defaultDimensions: [("Function", "authorizer")]))
        harness.factory.makeCounter(label: "A", dimensions: [("Stage", "current"), ("Stage", "previous")]).increment(by: 1)
        harness.factory.makeCounter(label: "B", dimensions: [("Function", "verifier")]).increment(by: 1)

        let documents = try harness.flushDocuments()

        #expect(documents.count == 1)
        #expect(documents.first?.dimensions == ["Function": "verifier"])
        #expect(harness.factory.diagnostics.refusedMetrics == 1)
    }

    @Test func theSameNameAndDimensionsAsAnotherKindOfMetricIsRefused() throws {
        let harness = Harness()
        let counter = harness.factory.makeCounter(label: "Refreshes", dimensions: [])
        let timer = harness.factory.makeTimer(label: "Refreshes", dimensions: [])
        counter.increment(by: 1)
        timer.recordNanoseconds(1_000_000)

        let documents = try harness.flushDocuments()

        #expect(documents.count == 1)
        #expect(documents.first?.number("Refreshes") == 1)
        #expect(harness.factory.diagnostics.refusedMetrics == 1)
    }

    @Test func valuesThatAreNotFiniteOrNegativeIncrementsAreDroppedAndCounted() throws {
        let harness = Harness()
        let recorder = harness.factory.makeRecorder(label: "Size", dimensions: [], aggregate: true)
        recorder.record(Double.nan)
        recorder.record(Double.infinity)
        recorder.record(2.0)
        recorder.record(Double.greatestFiniteMagnitude)
        recorder.record(Double.greatestFiniteMagnitude)
        let gauge = harness.factory.makeRecorder(label: "Level", dimensions: [], aggregate: false)
        gauge.record(-Double.infinity)
        let counter = harness.factory.makeCounter(label: "Count", dimensions: [])
        counter.increment(by: -5)
        counter.increment(by: .max)
        counter.increment(by: .max)
        harness.factory.makeTimer(label: "Wait", dimensions: []).recordNanoseconds(-1)

        let document = try #require(try harness.flushDocuments().first)

        #expect(document.values["Size"]?.statisticCount == 2, "the second greatest value would make the sum infinite")
        #expect(document.values["Level"] == nil)
        #expect(try EMFDocument.rawMember("Count", in: document.line) == "\(Int64.max)", "saturates, never wraps")
        #expect(document.values["Wait"] == nil)
        #expect(harness.factory.diagnostics.droppedValues == 6)
    }

    @Test func aDimensionPastItsLimitOfValuesIsWrittenAsOtherAndLoggedOnce() throws {
        let harness = Harness(EMFConfiguration(maximumValuesPerDimension: 3))
        let reasons = ["missing", "unknown", "expired", "f00dfeed", "deadbeef", "f00dfeed"]
        for reason in reasons {
            harness.factory.makeCounter(label: "Denied", dimensions: [("Reason", reason)]).increment(by: 1)
        }
        harness.factory.makeCounter(label: "Other", dimensions: [("Reason", "deadbeef")]).increment(by: 1)

        let documents = try harness.flushDocuments()

        let denied = Dictionary(uniqueKeysWithValues: documents.compactMap { document in
            document.number("Denied").map { (document.dimensions["Reason"] ?? "", $0) }
        })
        #expect(denied == ["missing": 1, "unknown": 1, "expired": 1, "Other": 3])
        #expect(documents.contains { $0.dimensions["Reason"] == "deadbeef" && $0.number("Other") == 1 }, "per metric")
        #expect(harness.factory.diagnostics.overflowedDimensionValues == 3)
        #expect(harness.log.entries.count == 1)
        let logged = harness.log.entries.map { "\($0.message) \($0.metadata)" }.joined()
        #expect(!logged.contains("f00dfeed") && !logged.contains("deadbeef"))
    }

    @Test func anInvalidNamespaceOrDefaultDimensionIsReplacedOrLeftOut() throws {
        let harness = Harness(EMFConfiguration(namespace: "AWS/Lambda", defaultDimensions: [("Function", ""), ("Env", "prod")]))
        harness.factory.makeCounter(label: "Runs", dimensions: []).increment(by: 1)

        let document = try #require(try harness.flushDocuments().first)

        #expect(harness.factory.namespace == "KeyRotator")
        #expect(document.namespace == "KeyRotator")
        #expect(document.dimensions == ["Env": "prod"])
        #expect(harness.factory.diagnostics.refusedConfiguration == 2)
    }

    @Test func theNamespaceComesFromMetricsNamespace() {
        #expect(EMFConfiguration(environment: [:]).namespace == "KeyRotator")
        #expect(EMFConfiguration(environment: ["METRICS_NAMESPACE": ""]).namespace == "KeyRotator")
        let configuration = EMFConfiguration(
            environment: ["METRICS_NAMESPACE": "Team/KeyRotator"],
            defaultDimensions: [("Function", "rotation")]
        )
        #expect(configuration.namespace == "Team/KeyRotator")
        #expect(configuration.defaultDimensions.map(\.0) == ["Function"])
    }
}
