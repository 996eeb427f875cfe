import CoreMetrics
import EMFMetrics
import Testing
import TestSupport

@Suite("Flushes happen when due, not per request")
struct EMFFlushPolicyTests {
    @Test func flushIfDueWritesOnlyOnceTheIntervalHasPassedSinceTheLastFlush() throws {
        let harness = Harness(EMFConfiguration(flushInterval: .seconds(10)))
        let counter = harness.factory.makeCounter(label: "Authorizations", dimensions: [])

        for _ in 0..<1000 {
            counter.increment(by: 1)
            harness.advance(by: .milliseconds(5))
            harness.factory.flushIfDue()
        }
        #expect(harness.takeLines().isEmpty, "5 s of requests: not due yet")

        harness.advance(by: .seconds(5))
        counter.increment(by: 1)
        #expect(harness.factory.flushIfDue() == 1)
        let document = try EMFDocument(try #require(harness.takeLines().first))
        #expect(document.number("Authorizations") == 1001)
        #expect(document.timestamp == harness.now)

        counter.increment(by: 1)
        harness.advance(by: .milliseconds(9_999))
        #expect(harness.factory.flushIfDue() == 0, "the interval starts again at the last flush")
        harness.advance(by: .milliseconds(1))
        #expect(harness.factory.flushIfDue() == 1)
    }

    @Test func flushNowWritesWhateverTheIntervalAndRestartsIt() {
        let harness = Harness(EMFConfiguration(flushInterval: .seconds(10)))
        let counter = harness.factory.makeCounter(label: "Rotations", dimensions: [])
        counter.increment(by: 1)
        harness.advance(by: .seconds(9))

        #expect(harness.factory.flush() == 1)

        counter.increment(by: 1)
        harness.advance(by: .seconds(9))
        #expect(harness.factory.flushIfDue() == 0)
    }

    @Test func aClockThatWentBackMakesAFlushDue() {
        let harness = Harness(EMFConfiguration(flushInterval: .seconds(10)))
        harness.factory.makeCounter(label: "Ticks", dimensions: []).increment(by: 1)

        harness.setClock(Harness.start - 60_000)

        #expect(harness.factory.flushIfDue() == 1)
    }

    @Test func aDueFlushWithNothingRecordedWritesNothing() {
        let harness = Harness(EMFConfiguration(flushInterval: .seconds(1)))
        harness.advance(by: .seconds(2))

        #expect(harness.factory.flushIfDue() == 0)
        #expect(harness.takeLines().isEmpty)
    }

    @Test(.timeLimit(.minutes(1)))
    func flushPeriodicallyFlushesUntilCancelledAndThenOnceMore() async throws {
        let harness = Harness(EMFConfiguration(flushInterval: .milliseconds(20)), realClock: true)
        let counter = harness.factory.makeCounter(label: "Served", dimensions: [])
        let flusher = Task { await harness.factory.flushPeriodically() }

        counter.increment(by: 1)
        var lines: [String] = []
        while lines.isEmpty {
            try await Task.sleep(for: .milliseconds(10))
            lines = harness.takeLines()
        }
        #expect(try EMFDocument(lines[0]).number("Served") == 1)

        counter.increment(by: 2)
        flusher.cancel()
        await flusher.value
        let last = harness.takeLines()
        #expect(try last.map { try EMFDocument($0).number("Served") } == [2])
    }
}
