import Synchronization

/// The aggregates of every metric of one factory, behind one lock: handlers add to them, a flush
/// takes them all and leaves nothing behind.
final class MetricStore: Sendable {
    /// How a request to register a metric ended.
    enum RegistrationResult: Equatable {
        /// Recorded under `id`; `overflowed` names the dimensions that reached their limit of values
        /// for the first time with this metric.
        case registered(id: Int, overflowed: [String])
        /// The same name and dimensions exist as another kind of metric.
        case conflicting
        /// The factory keeps no more metrics.
        case full
    }

    private struct State {
        var ids: [MetricKey: Int] = [:]
        var registrations: [Registration] = []
        var aggregates: [Int: Aggregate] = [:]
        /// The value of each gauge, kept across flushes so that a meter's increments add to it.
        var levels: [Int: Double] = [:]
        /// The values seen of each (metric name, dimension name), for the cardinality limit.
        var dimensionValues: [DimensionSlot: Set<String>] = [:]
        var overflowedSlots: Set<DimensionSlot> = []
        var diagnostics = EMFDiagnostics()
        var lastFlush: Int64
    }

    private struct DimensionSlot: Hashable {
        let metric: String
        let dimension: String
    }

    private let state: Mutex<State>
    private let maximumValuesPerDimension: Int

    init(maximumValuesPerDimension: Int, createdAt: Int64) {
        self.maximumValuesPerDimension = Swift.max(1, maximumValuesPerDimension)
        self.state = Mutex(State(lastFlush: createdAt))
    }

    var diagnostics: EMFDiagnostics {
        state.withLock { $0.diagnostics }
    }

    func count(_ update: (inout EMFDiagnostics) -> Void) {
        state.withLock { update(&$0.diagnostics) }
    }

    /// Registers a metric whose name and dimensions are valid, holding each dimension to its limit
    /// of distinct values first.
    func register(_ key: MetricKey, kind: Registration.Kind, unit: EMFUnit) -> RegistrationResult {
        let limit = maximumValuesPerDimension
        return state.withLock { state in
            var key = key
            var overflowed: [String] = []
            for (index, dimension) in key.dimensions.enumerated() {
                let slot = DimensionSlot(metric: key.name, dimension: dimension.name)
                let seen = state.dimensionValues[slot, default: []]
                if seen.contains(dimension.value) { continue }
                if seen.count < limit {
                    state.dimensionValues[slot, default: []].insert(dimension.value)
                    continue
                }
                key.replaceValue(at: index, with: EMFConfiguration.overflowDimensionValue)
                state.diagnostics.overflowedDimensionValues += 1
                if state.overflowedSlots.insert(slot).inserted { overflowed.append(dimension.name) }
            }
            if let id = state.ids[key] {
                guard state.registrations[id].kind == kind else {
                    state.diagnostics.refusedMetrics += 1
                    return .conflicting
                }
                return .registered(id: id, overflowed: overflowed)
            }
            guard state.registrations.count < EMFLimits.seriesPerFactory else {
                state.diagnostics.refusedMetrics += 1
                return .full
            }
            let id = state.registrations.count
            state.registrations.append(Registration(key: key, kind: kind, unit: unit))
            state.ids[key] = id
            return .registered(id: id, overflowed: overflowed)
        }
    }

    /// Adds a counter increment, saturating at `Int64.max`; a negative one is dropped.
    func increment(_ id: Int, by amount: Int64) {
        state.withLock { state in
            guard amount >= 0 else {
                state.diagnostics.droppedValues += 1
                return
            }
            guard case .counter(let total) = state.aggregates[id] else {
                state.aggregates[id] = .counter(amount)
                return
            }
            let (sum, overflow) = total.addingReportingOverflow(amount)
            state.aggregates[id] = .counter(overflow ? .max : sum)
        }
    }

    /// Sets a counter to zero, which the next flush writes.
    func resetCounter(_ id: Int) {
        state.withLock { $0.aggregates[id] = .counter(0) }
    }

    /// Adds a value to a distribution, or sets a gauge to it.
    func record(_ id: Int, _ value: Double) {
        state.withLock { state in
            guard value.isFinite else {
                state.diagnostics.droppedValues += 1
                return
            }
            switch state.registrations[id].kind {
            case .counter:
                return
            case .gauge:
                state.levels[id] = value
                state.aggregates[id] = .gauge(value)
            case .distribution:
                var distribution = Distribution()
                if case .distribution(let gathered) = state.aggregates.removeValue(forKey: id) {
                    distribution = gathered
                }
                if !distribution.record(value) { state.diagnostics.droppedValues += 1 }
                state.aggregates[id] = .distribution(distribution)
            }
        }
    }

    /// Moves a gauge by `delta` from its last value (zero if it never had one).
    func adjust(_ id: Int, by delta: Double) {
        state.withLock { state in
            let level = state.levels[id, default: 0] + delta
            guard level.isFinite else {
                state.diagnostics.droppedValues += 1
                return
            }
            state.levels[id] = level
            state.aggregates[id] = .gauge(level)
        }
    }

    /// Takes every aggregate and notes the flush time; with `interval`, only if at least that
    /// long has passed since the last flush (or the clock went back), else `nil`.
    func drain(at now: Int64, ifElapsed interval: Duration? = nil) -> [(Registration, Aggregate)]? {
        state.withLock { state in
            if let interval {
                let (elapsed, overflow) = now.subtractingReportingOverflow(state.lastFlush)
                if !overflow && elapsed >= 0 && Duration.milliseconds(elapsed) < interval { return nil }
            }
            state.lastFlush = now
            let aggregates = state.aggregates
            state.aggregates = [:]
            let registrations = state.registrations
            return aggregates.map { (registrations[$0.key], $0.value) }
        }
    }
}
