import EMFMetrics
import Metrics
import Testing
import TestSupport

@Suite("Through swift-metrics' own API")
struct EMFSwiftMetricsTests {
    @Test func countersTimersRecordersGaugesAndMetersMadeWithTheFactory() throws {
        let harness = Harness(EMFConfiguration(defaultDimensions: [("Function", "rotation")], units: ["Bytes": .bytes]))
        let factory = harness.factory
        let dimensions = [("Step", "setSecret")]

        Counter(label: "DistributionsUpdated", dimensions: dimensions, factory: factory).increment(by: 3)
        Counter(label: "DistributionsUpdated", dimensions: dimensions, factory: factory).increment()
        let timer = Timer(label: "StepDuration", dimensions: dimensions, factory: factory)
        timer.recordMilliseconds(12)
        timer.record(duration: .milliseconds(250))
        timer.recordSeconds(1.5)
        Recorder(label: "Bytes", dimensions: dimensions, factory: factory).record(512)
        Gauge(label: "KeyHeadroom", dimensions: dimensions, factory: factory).record(9_990)
        Meter(label: "Pending", dimensions: dimensions, factory: factory).set(2)
        let fractions = FloatingPointCounter(label: "Weight", dimensions: dimensions, factory: factory)
        fractions.increment(by: 0.75)
        fractions.increment(by: 0.5)

        let documents = try harness.flushDocuments()

        let document = try #require(documents.first)
        #expect(documents.count == 1)
        #expect(document.dimensions == ["Function": "rotation", "Step": "setSecret"])
        #expect(document.number("DistributionsUpdated") == 4)
        #expect(
            document.values["StepDuration"]
                == .statistics(values: [12, 250, 1500], counts: [1, 1, 1], max: 1500, min: 12, count: 3, sum: 1762)
        )
        #expect(document.values["Bytes"] == .statistics(values: [512], counts: [1], max: 512, min: 512, count: 1, sum: 512))
        #expect(document.number("KeyHeadroom") == 9_990)
        #expect(document.number("Pending") == 2)
        #expect(document.number("Weight") == 1, "swift-metrics accumulates fractions into whole increments")
        #expect(document.units == [
            "DistributionsUpdated": "Count", "StepDuration": "Milliseconds", "Bytes": "Bytes",
            "KeyHeadroom": "None", "Pending": "None", "Weight": "Count",
        ])
    }

    @Test(.timeLimit(.minutes(1)))
    func incrementsFromManyTasksAreAllCountedAcrossConcurrentFlushes() async throws {
        let harness = Harness()
        let factory = harness.factory
        let shared = Counter(label: "Allowed", dimensions: [("Stage", "current")], factory: factory)
        let tasks = 64
        let increments = 1_000

        await withDiscardingTaskGroup { group in
            for task in 0..<tasks {
                group.addTask {
                    let timer = Timer(label: "Verify", factory: factory)
                    for index in 0..<increments {
                        shared.increment()
                        Counter(label: "Allowed", dimensions: [("Stage", "current")], factory: factory).increment()
                        timer.recordNanoseconds(Int64(task * increments + index))
                        if index % 100 == 0 {
                            harness.advance(by: .seconds(1))
                            factory.flushIfDue()
                        }
                    }
                }
            }
        }

        let documents = try harness.flushDocuments()
        #expect(documents.count > 2, "flushes ran while the tasks counted")
        let allowed = documents.compactMap { $0.number("Allowed") }.reduce(0, +)
        let timed = documents.compactMap { $0.values["Verify"]?.statisticCount }.reduce(0, +)
        #expect(allowed == Double(2 * tasks * increments))
        #expect(timed == tasks * increments)
    }
}
