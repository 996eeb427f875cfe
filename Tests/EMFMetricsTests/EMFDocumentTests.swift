import CoreMetrics
import EMFMetrics
import Testing
import TestSupport

@Suite("EMF documents follow the specification")
struct EMFDocumentTests {
    @Test func countersAreSummedAndWrittenAsIntegersWithTheirDimensions() throws {
        let harness = Harness(EMFConfiguration(namespace: "Test", defaultDimensions: [("Function", "authorizer")]))
        let counter = harness.factory.makeCounter(label: "Allowed", dimensions: [("Stage", "current")])
        counter.increment(by: 2)
        counter.increment(by: 3)

        let documents = try harness.flushDocuments()

        #expect(documents.count == 1)
        let document = try #require(documents.first)
        #expect(document.timestamp == Harness.start)
        #expect(document.namespace == "Test")
        #expect(document.dimensionSets == [["Function", "Stage"]])
        #expect(document.dimensions == ["Function": "authorizer", "Stage": "current"])
        #expect(document.units == ["Allowed": "Count"])
        #expect(try EMFDocument.rawMember("Allowed", in: document.line) == "5")
        #expect(try EMFDocument.rawMember("Timestamp", in: document.line) == "\(Harness.start)")
    }

    @Test func theTimestampIsTheFlushTimeInMilliseconds() throws {
        let harness = Harness(realClock: true)
        harness.factory.makeCounter(label: "Ticks", dimensions: []).increment(by: 1)
        let before = EMFMetricsFactory.unixMilliseconds()

        let document = try #require(try harness.flushDocuments().first)

        let after = EMFMetricsFactory.unixMilliseconds()
        #expect(document.timestamp >= before && document.timestamp <= after)
        #expect(document.timestamp > 1_700_000_000_000, "milliseconds, not seconds")
        #expect(document.dimensionSets == [[]], "no dimensions is one empty dimension set")
    }

    @Test func aGroupOfMoreThanHundredMetricsIsSplitIntoDocumentsOfAtMostHundred() throws {
        let harness = Harness()
        for index in 0..<250 {
            harness.factory.makeCounter(label: "metric\(index)", dimensions: [("Step", "sweep")]).increment(by: Int64(index))
        }

        let documents = try harness.flushDocuments()

        #expect(documents.map(\.values.count) == [100, 100, 50])
        var seen: [String: Double] = [:]
        for document in documents {
            #expect(document.dimensions == ["Step": "sweep"])
            for (name, _) in document.values { seen[name] = document.number(name) }
        }
        #expect(seen.count == 250)
        #expect(seen["metric249"] == 249)
    }

    @Test func aDistributionOfMoreThanHundredValuesContinuesInTheNextDocuments() throws {
        let harness = Harness()
        let recorder = harness.factory.makeRecorder(label: "Batch", dimensions: [], aggregate: true)
        for value in 1...250 { recorder.record(Int64(value)) }
        recorder.record(Int64(7))
        harness.factory.makeCounter(label: "Runs", dimensions: []).increment(by: 1)

        let documents = try harness.flushDocuments()

        #expect(documents.count == 3)
        #expect(documents.map { $0.values["Runs"] != nil } == [true, false, false])
        var values: [Double] = []
        var count = 0
        var sum = 0.0
        var minimum = Double.infinity
        var maximum = -Double.infinity
        for document in documents {
            guard case .statistics(let chunk, let counts, let max, let min, let chunkCount, let chunkSum) = document.values["Batch"]
            else {
                Issue.record("Batch is not a statistic set in \(document.line)")
                continue
            }
            #expect(chunk.count <= 100)
            #expect(min == chunk.first && max == chunk.last, "a chunk's Min and Max are its own")
            #expect(chunkSum == zip(chunk, counts).reduce(0) { $0 + $1.0 * Double($1.1) })
            values += chunk
            count += chunkCount
            sum += chunkSum
            minimum = Swift.min(minimum, min)
            maximum = Swift.max(maximum, max)
        }
        #expect(values == (1...250).map(Double.init))
        #expect(count == 251)
        #expect(sum == Double((1...250).reduce(0, +) + 7))
        #expect(minimum == 1 && maximum == 250)
    }

    @Test func metricsWithOtherDimensionValuesGoToOtherDocumentsAndOrderDoesNotMatter() throws {
        let harness = Harness(EMFConfiguration(defaultDimensions: [("Function", "rotation")]))
        let factory = harness.factory
        factory.makeCounter(label: "Outcome", dimensions: [("Step", "createSecret"), ("Code", "ok")]).increment(by: 1)
        factory.makeCounter(label: "Outcome", dimensions: [("Code", "ok"), ("Step", "createSecret")]).increment(by: 1)
        factory.makeCounter(label: "Outcome", dimensions: [("Step", "setSecret"), ("Code", "ok")]).increment(by: 4)
        factory.makeCounter(label: "Outcome", dimensions: []).increment(by: 9)

        let documents = try harness.flushDocuments()

        let byStep = Dictionary(uniqueKeysWithValues: documents.map { ($0.dimensions["Step"] ?? "-", $0) })
        #expect(byStep.count == 3)
        #expect(byStep["createSecret"]?.number("Outcome") == 2)
        #expect(byStep["createSecret"]?.dimensionSets == [["Code", "Function", "Step"]])
        #expect(byStep["setSecret"]?.number("Outcome") == 4)
        #expect(byStep["-"]?.number("Outcome") == 9)
        #expect(byStep["-"]?.dimensionSets == [["Function"]])
    }

    @Test(arguments: [
        "quote\"d", "back\\slash", "sl/ash", "caf\u{E9}", "\u{1F511} key", "tab-free {json} [array]", "\u{2028}sep",
    ])
    func oddMetricNamesAreEscaped(name: String) throws {
        let harness = Harness()
        harness.factory.makeCounter(label: name, dimensions: [("Odd", "v\"a\\l/u{e}")]).increment(by: 1)

        let document = try #require(try harness.flushDocuments().first)

        #expect(document.number(name) == 1)
        #expect(document.units[name] == "Count")
        #expect(document.dimensions["Odd"] == "v\"a\\l/u{e}")
    }

    @Test func nothingIsLeftAfterAFlush() throws {
        let harness = Harness()
        let counter = harness.factory.makeCounter(label: "Requests", dimensions: [])
        counter.increment(by: 1)
        #expect(harness.factory.flush() == 1)

        #expect(harness.factory.flush() == 0)
        #expect(harness.takeLines().count == 1)

        counter.increment(by: 1)
        let document = try #require(try harness.flushDocuments().first)
        #expect(document.number("Requests") == 1, "a flush starts again from zero")
    }

    @Test func timersAreWrittenInMilliseconds() throws {
        let harness = Harness()
        let timer = harness.factory.makeTimer(label: "StepDuration", dimensions: [])
        timer.recordNanoseconds(1_500_000)
        timer.recordNanoseconds(1_500_000)
        timer.recordNanoseconds(250_000_000)

        let document = try #require(try harness.flushDocuments().first)

        #expect(document.units["StepDuration"] == "Milliseconds")
        #expect(
            document.values["StepDuration"]
                == .statistics(values: [1.5, 250], counts: [2, 1], max: 250, min: 1.5, count: 3, sum: 253)
        )
    }

    @Test func distributionsKeepThreeSignificantDigitsAndExactStatistics() throws {
        let harness = Harness()
        let recorder = harness.factory.makeRecorder(label: "Latency", dimensions: [], aggregate: true)
        for value in [12.3456, 12.3449, 0.000123456, 98_765.4, -4.5678] { recorder.record(value) }

        let document = try #require(try harness.flushDocuments().first)

        guard case .statistics(let values, let counts, let max, let min, let count, let sum) = document.values["Latency"] else {
            Issue.record("not a statistic set: \(document.line)")
            return
        }
        #expect(values == [-4.57, 0.000123, 12.3, 98_800])
        #expect(counts == [1, 1, 2, 1])
        #expect(max == 98_765.4 && min == -4.5678 && count == 5)
        #expect(Swift.abs(sum - (12.3456 + 12.3449 + 0.000123456 + 98_765.4 - 4.5678)) < 1e-9)
        #expect(document.line.contains("\"Values\":[-4.57,0.000123,12.3,98800]"))
    }

    @Test func gaugesAndMetersWriteTheirLastValueAndMetersKeepItAcrossFlushes() throws {
        let harness = Harness(EMFConfiguration(units: ["Headroom": .percent]))
        let gauge = harness.factory.makeRecorder(label: "Headroom", dimensions: [], aggregate: false)
        gauge.record(80.5)
        gauge.record(Int64(75))
        let meter = harness.factory.makeMeter(label: "InFlight", dimensions: [])
        meter.set(Int64(3))
        meter.increment(by: 2)

        let first = try #require(try harness.flushDocuments().first)
        #expect(first.number("Headroom") == 75)
        #expect(first.units["Headroom"] == "Percent")
        #expect(try EMFDocument.rawMember("Headroom", in: first.line) == "75")
        #expect(first.number("InFlight") == 5)
        #expect(first.units["InFlight"] == "None")

        meter.decrement(by: 1.5)
        let second = try #require(try harness.flushDocuments().first)
        #expect(second.number("InFlight") == 3.5)
        #expect(second.values["Headroom"] == nil, "a gauge not set since the last flush is not written")
    }

    @Test func thirtyDimensionsAreWrittenAndThirtyOneRefused() throws {
        let harness = Harness(EMFConfiguration(defaultDimensions: [("Function", "sweep")]))
        let thirty = (1..<30).map { ("D\($0)", "v") }
        harness.factory.makeCounter(label: "Wide", dimensions: thirty).increment(by: 1)
        harness.factory.makeCounter(label: "TooWide", dimensions: thirty + [("D30", "v")]).increment(by: 1)

        let documents = try harness.flushDocuments()

        #expect(documents.count == 1)
        #expect(documents.first?.dimensionSets.first?.count == 30)
        #expect(harness.factory.diagnostics.refusedMetrics == 1)
    }

    @Test(arguments: [
        #"{"_aws":{"Timestamp":1.5,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[[]],"Metrics":[{"Name":"m"}]}]},"m":1}"#,
        #"{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[["d"]],"Metrics":[{"Name":"m"}]}]},"m":1}"#,
        #"{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[[]],"Metrics":[{"Name":"m"}]}]}}"#,
        #"{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[],"Metrics":[{"Name":"m"}]}]},"m":1}"#,
        #"{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[[]],"Metrics":[{"Name":"m","Unit":"ms"}]}]},"m":1}"#,
        #"{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[[]],"Metrics":[{"Name":"m"},{"Name":"m"}]}]},"m":1}"#,
        #"{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[[]],"Metrics":[{"Name":"m"}]}]},"m":"1"}"#,
        #"{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[[]],"Metrics":[{"Name":"m"}]}]},"m":{"Values":[1],"Counts":[2],"Max":1,"Min":1,"Count":1,"Sum":2}}"#,
        #"{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[[]],"Metrics":[{"Name":"m"}]}]},"m":1,"extra":2}"#,
    ])
    func theCheckerRefusesWhatTheSpecificationOrThisBackendForbids(line: String) {
        #expect(throws: (any Error).self) { try EMFDocument(line) }
    }
}
