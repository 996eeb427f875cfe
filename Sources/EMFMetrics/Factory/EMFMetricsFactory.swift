public import CoreMetrics
public import Logging

/// A swift-metrics backend that aggregates in memory and writes CloudWatch Embedded Metric Format
/// (EMF) documents when flushed: CloudWatch Logs turns each document into metrics, with no
/// CloudWatch API call.
///
/// Between two flushes, counters are summed, recorders and timers keep every value (rounded to
/// three significant digits, with exact counts, sums, minimum and maximum), gauges and meters keep
/// their last value; each by metric name (the swift-metrics label) and dimensions (the
/// configuration's default dimensions and the metric's own). A flush writes them, in as many
/// documents as the EMF limits need, and starts again from nothing.
///
/// A Lambda function installs one at start and flushes after an invocation when it is due, so that
/// a busy function writes a document every few seconds, never one per request:
///
/// ```swift
/// let metrics = EMFMetricsFactory(
///     configuration: EMFConfiguration(environment: environment, defaultDimensions: [("Function", handler)]),
///     logger: logger,
///     write: LogLineWriter.standardOutput.writeLine
/// )
/// MetricsSystem.bootstrap(metrics)
/// // after each invocation:
/// metrics.flushIfDue()
/// ```
///
/// A long-running host runs ``flushPeriodically()`` in a task of its own instead.
///
/// Dimensions must be few and stable: never a secret, a key, a fingerprint or a request id (see
/// ``EMFConfiguration/maximumValuesPerDimension``). Metrics whose names or dimensions CloudWatch
/// would refuse are never recorded: they are counted in ``diagnostics`` and logged when made.
public final class EMFMetricsFactory: MetricsFactory {
    /// The namespace the documents carry: the configured one, or ``EMFConfiguration/defaultNamespace``
    /// if that was invalid.
    public let namespace: String

    private let defaultDimensions: [MetricKey.Dimension]
    private let units: [String: EMFUnit]
    private let flushInterval: Duration
    private let store: MetricStore
    private let now: @Sendable () -> Int64
    private let write: @Sendable (String) -> Void
    private let logger: Logger

    /// Makes a factory; nothing is written until a flush.
    ///
    /// - Parameters:
    ///   - configuration: The namespace, default dimensions, units and limits.
    ///   - logger: Where refused metrics and configuration are reported, once each.
    ///   - now: Milliseconds since the Unix epoch: the documents' `Timestamp` and the flush interval's clock.
    ///   - write: Takes one document, a line of JSON without its newline. Called outside any lock,
    ///     possibly from several threads; in a Lambda function, a writer of whole lines to standard output.
    public init(
        configuration: EMFConfiguration,
        logger: Logger,
        now: @escaping @Sendable () -> Int64 = EMFMetricsFactory.unixMilliseconds,
        write: @escaping @Sendable (String) -> Void
    ) {
        self.logger = logger
        self.now = now
        self.write = write
        self.units = configuration.units
        self.flushInterval = configuration.flushInterval
        self.store = MetricStore(
            maximumValuesPerDimension: configuration.maximumValuesPerDimension,
            createdAt: now()
        )
        var refused = 0
        if EMFLimits.isValidNamespace(configuration.namespace) {
            self.namespace = configuration.namespace
        } else {
            self.namespace = EMFConfiguration.defaultNamespace
            refused += 1
            logger.warning(
                "metrics namespace refused: 1 to 255 printable ASCII characters, not starting with ':' or 'AWS/'",
                metadata: ["namespace": "\(EMFConfiguration.defaultNamespace)"]
            )
        }
        var defaults: [MetricKey.Dimension] = []
        for (name, value) in configuration.defaultDimensions {
            guard EMFLimits.isValidDimensionName(name), EMFLimits.isValidDimensionValue(value) else {
                refused += 1
                logger.warning("default metrics dimension refused: empty, too long or not printable ASCII")
                continue
            }
            defaults.removeAll { $0.name == name }
            defaults.append(MetricKey.Dimension(name: name, value: value))
        }
        self.defaultDimensions = defaults
        if refused > 0 { store.count { $0.refusedConfiguration += refused } }
    }

    /// The real-time clock in milliseconds since the Unix epoch: the default `now`.
    public static func unixMilliseconds() -> Int64 {
        UnixClock.milliseconds()
    }

    /// What was refused or dropped since the factory was made.
    public var diagnostics: EMFDiagnostics {
        store.diagnostics
    }

    /// Writes everything gathered since the last flush and starts again from nothing.
    ///
    /// - Returns: How many documents were written (none when nothing was recorded).
    @discardableResult
    public func flush() -> Int {
        let timestamp = now()
        return write(store.drain(at: timestamp) ?? [], timestamp: timestamp)
    }

    /// Flushes if at least the configuration's `flushInterval` has passed since the last flush (or
    /// since the factory was made), or if the clock went back; otherwise does nothing.
    ///
    /// - Returns: How many documents were written.
    @discardableResult
    public func flushIfDue() -> Int {
        let timestamp = now()
        guard let entries = store.drain(at: timestamp, ifElapsed: flushInterval) else { return 0 }
        return write(entries, timestamp: timestamp)
    }

    /// Flushes every `flushInterval` until the task is cancelled, then once more: for a process that
    /// runs on, such as a server, in a task of its own.
    public func flushPeriodically() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: flushInterval)
            } catch {
                break
            }
            flush()
        }
        flush()
    }

    private func write(_ entries: [(Registration, Aggregate)], timestamp: Int64) -> Int {
        guard !entries.isEmpty else { return 0 }
        let documents = EMFDocumentBuilder(namespace: namespace, timestamp: timestamp).documents(for: entries)
        for document in documents { write(document) }
        return documents.count
    }

    // MARK: MetricsFactory

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        handler(label, dimensions, kind: .counter, unit: units[label] ?? .count)
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        handler(label, dimensions, kind: aggregate ? .distribution : .gauge, unit: units[label] ?? .none)
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        handler(label, dimensions, kind: .gauge, unit: units[label] ?? .none)
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        handler(label, dimensions, kind: .distribution, unit: .milliseconds)
    }

    public func destroyCounter(_ handler: any CounterHandler) {}
    public func destroyMeter(_ handler: any MeterHandler) {}
    public func destroyRecorder(_ handler: any RecorderHandler) {}
    public func destroyTimer(_ handler: any TimerHandler) {}

    // MARK: Registration

    private func handler(
        _ label: String,
        _ dimensions: [(String, String)],
        kind: Registration.Kind,
        unit: EMFUnit
    ) -> EMFHandler {
        let key: MetricKey
        switch validatedKey(label, dimensions) {
        case .refused(let reason):
            store.count { $0.refusedMetrics += 1 }
            let name: Logger.MetadataValue = EMFLimits.isValidMetricName(label) ? "\(label)" : "(invalid)"
            logger.warning("metric refused", metadata: ["metric": name, "reason": "\(reason)"])
            return EMFHandler(store: store, id: nil)
        case .valid(let valid):
            key = valid
        }
        switch store.register(key, kind: kind, unit: unit) {
        case .registered(let id, let overflowed):
            for dimension in overflowed {
                logger.warning(
                    "metric dimension has too many values; later values are written as '\(EMFConfiguration.overflowDimensionValue)'",
                    metadata: ["metric": "\(label)", "dimension": "\(dimension)"]
                )
            }
            return EMFHandler(store: store, id: id)
        case .conflicting:
            logger.warning(
                "metric refused",
                metadata: ["metric": "\(label)", "reason": "the same name and dimensions exist as another kind of metric"]
            )
            return EMFHandler(store: store, id: nil)
        case .full:
            logger.warning(
                "metric refused",
                metadata: ["metric": "\(label)", "reason": "the factory keeps at most \(EMFLimits.seriesPerFactory) metrics"]
            )
            return EMFHandler(store: store, id: nil)
        }
    }

    private enum KeyValidation {
        case valid(MetricKey)
        case refused(String)
    }

    /// The metric's key with the default dimensions added, or why CloudWatch would refuse it.
    private func validatedKey(_ label: String, _ dimensions: [(String, String)]) -> KeyValidation {
        guard EMFLimits.isValidMetricName(label) else {
            return .refused("the name is empty, longer than 255 characters or has control characters")
        }
        var own: [MetricKey.Dimension] = []
        for (name, value) in dimensions {
            guard EMFLimits.isValidDimensionName(name), EMFLimits.isValidDimensionValue(value) else {
                return .refused("a dimension name or value is empty, too long or not printable ASCII")
            }
            guard !own.contains(where: { $0.name == name }) else {
                return .refused("two dimensions have one name")
            }
            own.append(MetricKey.Dimension(name: name, value: value))
        }
        let merged = defaultDimensions.filter { dimension in !own.contains { $0.name == dimension.name } } + own
        guard merged.count <= EMFLimits.dimensionsPerSet else {
            return .refused("more than \(EMFLimits.dimensionsPerSet) dimensions")
        }
        guard !merged.contains(where: { $0.name == label }) else {
            return .refused("a dimension has the metric's name")
        }
        return .valid(MetricKey(name: label, dimensions: merged))
    }
}
