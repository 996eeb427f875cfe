/// Turns the aggregates of one flush into EMF documents, one JSON object per line.
///
/// Metrics with the same dimensions (names and values) share documents: one directive whose one
/// dimension set names them all, each dimension and each metric a top-level member. A group is
/// split so that no document has more than 100 metrics and no metric more than 100 values; a
/// distribution of more than 100 bins continues in the next documents of its group.
struct EMFDocumentBuilder {
    let namespace: String
    /// Milliseconds since the Unix epoch, the `Timestamp` of every document.
    let timestamp: Int64

    func documents(for entries: [(Registration, Aggregate)]) -> [String] {
        var groups: [[MetricKey.Dimension]: [(Registration, Aggregate)]] = [:]
        for entry in entries {
            groups[entry.0.key.dimensions, default: []].append(entry)
        }
        let ordered = groups.sorted { Self.precedes($0.key, $1.key) }
        var lines: [String] = []
        for (dimensions, members) in ordered {
            let metrics = members.sorted { $0.0.key.name < $1.0.key.name }.map { (registration, aggregate) in
                (registration: registration, parts: Self.parts(of: aggregate))
            }
            for start in stride(from: 0, to: metrics.count, by: EMFLimits.metricsPerDocument) {
                let batch = metrics[start..<min(start + EMFLimits.metricsPerDocument, metrics.count)]
                let documentCount = batch.map(\.parts.count).max() ?? 0
                for index in 0..<documentCount {
                    let present = batch.filter { index < $0.parts.count }
                    lines.append(document(dimensions: dimensions, metrics: present.map { ($0.registration, $0.parts[index]) }))
                }
            }
        }
        return lines
    }

    /// A metric's value in one document.
    private enum Part {
        case integer(Int64)
        case double(Double)
        case bins(ArraySlice<(value: Double, bin: Distribution.Bin)>)
    }

    private static func parts(of aggregate: Aggregate) -> [Part] {
        switch aggregate {
        case .counter(let total): [.integer(total)]
        case .gauge(let value): [.double(value)]
        case .distribution(let distribution): distribution.chunks(of: EMFLimits.valuesPerMetric).map { .bins($0) }
        }
    }

    private func document(dimensions: [MetricKey.Dimension], metrics: [(Registration, Part)]) -> String {
        var json = JSONWriter()
        json.raw("{")
        json.key(EMFLimits.metadataMember)
        json.raw("{")
        json.key("Timestamp")
        json.number(timestamp)
        json.raw(",")
        json.key("CloudWatchMetrics")
        json.raw("[{")
        json.key("Namespace")
        json.string(namespace)
        json.raw(",")
        json.key("Dimensions")
        json.raw("[")
        json.array(dimensions) { $0.string($1.name) }
        json.raw("],")
        json.key("Metrics")
        json.array(metrics) { json, metric in
            json.raw("{")
            json.key("Name")
            json.string(metric.0.key.name)
            json.raw(",")
            json.key("Unit")
            json.string(metric.0.unit.rawValue)
            json.raw("}")
        }
        json.raw("}]}")
        for dimension in dimensions {
            json.raw(",")
            json.key(dimension.name)
            json.string(dimension.value)
        }
        for (registration, part) in metrics {
            json.raw(",")
            json.key(registration.key.name)
            Self.write(part, to: &json)
        }
        json.raw("}")
        return json.text
    }

    /// A distribution's bins as `{"Values":[...],"Counts":[...],"Max":..,"Min":..,"Count":..,"Sum":..}`,
    /// the statistic set with values and counts that CloudWatch's own EMF writers emit.
    private static func write(_ part: Part, to json: inout JSONWriter) {
        switch part {
        case .integer(let value):
            json.number(value)
        case .double(let value):
            json.number(value)
        case .bins(let bins):
            json.raw("{")
            json.key("Values")
            json.array(bins) { $0.number($1.value) }
            json.raw(",")
            json.key("Counts")
            json.array(bins) { $0.number($1.bin.count) }
            json.raw(",")
            json.key("Max")
            json.number(bins.map(\.bin.maximum).max() ?? 0)
            json.raw(",")
            json.key("Min")
            json.number(bins.map(\.bin.minimum).min() ?? 0)
            json.raw(",")
            json.key("Count")
            json.number(bins.reduce(0) { $0 + $1.bin.count })
            json.raw(",")
            json.key("Sum")
            json.number(bins.reduce(0.0) { $0 + $1.bin.sum })
            json.raw("}")
        }
    }

    private static func precedes(_ left: [MetricKey.Dimension], _ right: [MetricKey.Dimension]) -> Bool {
        left.lexicographicallyPrecedes(right) { ($0.name, $0.value) < ($1.name, $1.value) }
    }
}
