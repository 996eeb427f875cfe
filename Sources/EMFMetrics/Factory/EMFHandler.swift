import CoreMetrics

/// The handler behind every counter, recorder, gauge, meter and timer an ``EMFMetricsFactory``
/// makes: it adds to the factory's aggregate for its metric. A metric the factory refused has no
/// aggregate and its handler does nothing.
final class EMFHandler: CounterHandler, RecorderHandler, TimerHandler, MeterHandler {
    private let store: MetricStore
    private let id: Int?

    init(store: MetricStore, id: Int?) {
        self.store = store
        self.id = id
    }

    func increment(by amount: Int64) {
        if let id { store.increment(id, by: amount) }
    }

    func reset() {
        if let id { store.resetCounter(id) }
    }

    func record(_ value: Int64) {
        if let id { store.record(id, Double(value)) }
    }

    func record(_ value: Double) {
        if let id { store.record(id, value) }
    }

    func recordNanoseconds(_ duration: Int64) {
        guard let id else { return }
        guard duration >= 0 else { return store.count { $0.droppedValues += 1 } }
        store.record(id, Double(duration) / 1_000_000)
    }

    func set(_ value: Int64) {
        if let id { store.record(id, Double(value)) }
    }

    func set(_ value: Double) {
        if let id { store.record(id, value) }
    }

    func increment(by amount: Double) {
        guard let id else { return }
        guard amount >= 0 else { return store.count { $0.droppedValues += 1 } }
        store.adjust(id, by: amount)
    }

    func decrement(by amount: Double) {
        guard let id else { return }
        guard amount >= 0 else { return store.count { $0.droppedValues += 1 } }
        store.adjust(id, by: -amount)
    }
}
