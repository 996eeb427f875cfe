import Foundation
@testable import OriginVerifier
import Synchronization
import Testing

/// The refresh state machine on its own: a scripted key ring source and a clock the test moves, no
/// Secrets Manager. Each rule of `KeyRingRefresher` is checked at the instants where it changes.
@Suite(.timeLimit(.minutes(1))) struct KeyRingRefresherTests {
    /// A source that answers from a script and counts its loads; `during` runs inside each load.
    final class ScriptedSource: KeyRingSource {
        let answers: Mutex<[Result<KeyRingLoader.Snapshot, OriginVerifierError>]>
        let loads = Mutex(0)
        let during: @Sendable () -> Void

        init(_ answers: [Result<KeyRingLoader.Snapshot, OriginVerifierError>], during: @escaping @Sendable () -> Void = {}) {
            self.answers = Mutex(answers)
            self.during = during
        }

        func load(known: [String: KeyRingLoader.VersionState], timeout: Duration) async -> Result<KeyRingLoader.Snapshot, OriginVerifierError> {
            loads.withLock { $0 += 1 }
            during()
            return answers.withLock { $0.count > 1 ? $0.removeFirst() : $0[0] }
        }
    }

    static let failure = OriginVerifierError.secretsManager(secretId: "s", reason: "unreachable")

    static func snapshot(current: String, previous: String? = nil) -> KeyRingLoader.Snapshot {
        func labelled(_ id: String) -> KeyRingLoader.Labelled {
            .init(versionId: id, key: .init(key: Array("value-of-\(id)".utf8), createdDate: Date(timeIntervalSince1970: 0)))
        }
        return .init(current: labelled(current), pending: nil, previous: previous.map(labelled), lastChangedDate: nil, lastRotatedDate: nil,
                     versions: [:], newProblems: [], valueReads: 1)
    }

    static func refresher(_ source: ScriptedSource, _ clock: ManualClock, ttl: Int = 60, stale: Int = 300) -> KeyRingRefresher {
        let configuration = OriginVerifier.Configuration(secretId: "s", cacheTTL: .seconds(ttl), previousGracePeriod: .seconds(1800),
                                                         earlyRefreshInterval: .seconds(5), failureRetryInterval: .seconds(5),
                                                         staleIfErrorPeriod: .seconds(stale))
        return KeyRingRefresher(configuration: configuration, source: source, clock: clock.verifierClock) { _ in }
    }

    @Test func aDueRingStartsExactlyOneLoadHoweverManyRequestsAsk() async {
        let clock = ManualClock()
        let source = ScriptedSource([.success(Self.snapshot(current: "v1"))])
        let refresher = Self.refresher(source, clock)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<100 { group.addTask { await refresher.lookup(at: clock.now).refresh?.value } }
        }
        #expect(source.loads.withLock { $0 } == 1)
        #expect(refresher.lookup(at: clock.now).ring?.currentVersionId == "v1")

        clock.advance(by: 59)
        #expect(refresher.lookup(at: clock.now).refresh == nil, "inside the TTL nothing loads")
        clock.advance(by: 1)
        await refresher.lookup(at: clock.now).refresh?.value
        #expect(source.loads.withLock { $0 } == 2, "at the TTL the next request loads again")
    }

    @Test func aFailedLoadIsRetriedNoSoonerThanTheRetryInterval() async {
        let clock = ManualClock()
        let source = ScriptedSource([.failure(Self.failure)])
        let refresher = Self.refresher(source, clock)
        await refresher.lookup(at: clock.now).refresh?.value
        #expect(refresher.lastError == Self.failure)
        clock.advance(by: 4.9)
        #expect(refresher.lookup(at: clock.now).refresh == nil)
        #expect(refresher.earlyRefresh(at: clock.now) == nil, "an early load waits for the retry interval too")
        clock.advance(by: 0.1)
        await refresher.lookup(at: clock.now).refresh?.value
        #expect(source.loads.withLock { $0 } == 2)
    }

    @Test func theLastRingServesForTheStaleIfErrorPeriodThenNothingDoes() async {
        let clock = ManualClock()
        let source = ScriptedSource([.success(Self.snapshot(current: "v1")), .failure(Self.failure)])
        let refresher = Self.refresher(source, clock, ttl: 60, stale: 300)
        await refresher.lookup(at: clock.now).refresh?.value

        clock.advance(by: 61)
        let expired = refresher.lookup(at: clock.now)
        await expired.refresh?.value
        #expect(expired.expired && expired.ring != nil, "past its TTL, while loads fail, the ring still answers")
        clock.advance(by: 298)  // 359 s old
        #expect(refresher.lookup(at: clock.now).ring != nil)
        clock.advance(by: 1)  // 360 s: TTL + stale-if-error
        #expect(refresher.lookup(at: clock.now).ring == nil, "past TTL + stale-if-error every request is denied")
    }

    @Test func anEarlyLoadRunsAtMostOncePerInterval() async {
        let clock = ManualClock()
        let source = ScriptedSource([.success(Self.snapshot(current: "v1"))])
        let refresher = Self.refresher(source, clock)
        await refresher.lookup(at: clock.now).refresh?.value

        #expect(refresher.earlyRefresh(at: clock.now) == nil, "the load that just ran counts")
        clock.advance(by: 5)
        let early = refresher.earlyRefresh(at: clock.now)
        #expect(early?.started == true)
        #expect(refresher.earlyRefresh(at: clock.now)?.started == false, "a second request joins the load in flight")
        await early?.task.value
        clock.advance(by: 4)
        #expect(refresher.earlyRefresh(at: clock.now) == nil)
        #expect(source.loads.withLock { $0 } == 2)
    }

    @Test func aRingsAgeCountsFromTheStartOfItsLoad() async {
        let clock = ManualClock()
        let started = clock.now
        // The load takes 30 s (on the test's clock).
        let source = ScriptedSource([.success(Self.snapshot(current: "v1"))]) { clock.advance(by: 30) }
        let refresher = Self.refresher(source, clock)
        await refresher.lookup(at: clock.now).refresh?.value
        #expect(refresher.lookup(at: clock.now).ring?.loadedAt == started)
        clock.advance(by: 30)  // 60 s after the load started
        #expect(refresher.lookup(at: clock.now).expired, "its content is a TTL old: it is due")
    }

    @Test func aWitnessedPromotionKeepsPreviousForTheGraceFromWhenItWasSeen() async {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_000_000))
        let source = ScriptedSource([.success(Self.snapshot(current: "v1")), .success(Self.snapshot(current: "v2", previous: "v1"))])
        let refresher = Self.refresher(source, clock)
        await refresher.lookup(at: clock.now).refresh?.value
        clock.advance(by: 60)
        let seenAt = clock.now
        await refresher.lookup(at: clock.now).refresh?.value
        let ring = refresher.lookup(at: clock.now).ring
        #expect(ring?.currentVersionId == "v2")
        #expect(ring?.previousValidUntil == seenAt.addingTimeInterval(1800), "the service's dates say nothing here: the grace counts from when this process saw v2 current")
    }
}
