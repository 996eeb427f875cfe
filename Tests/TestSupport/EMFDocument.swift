import Foundation

/// One EMF document as CloudWatch Logs would read it, checked against the specification when parsed:
/// a JSON object on one line; `_aws` with an integer millisecond `Timestamp` and at least one
/// directive; each directive with a `Namespace`, at least one dimension set of at most 30 names and at
/// most 100 metric definitions with valid units; every dimension a top-level string member and every
/// metric a top-level number, array of at most 100 numbers, or statistic set of at most 100 values;
/// and no member but `_aws`, the dimensions and the metrics.
public struct EMFDocument: Sendable {
    public struct SpecViolation: Error, CustomStringConvertible {
        public let description: String
    }

    /// A metric's top-level value.
    public enum Value: Equatable, Sendable {
        case number(Double)
        case statistics(values: [Double], counts: [Int], max: Double, min: Double, count: Int, sum: Double)

        public var statisticCount: Int? {
            if case .statistics(_, _, _, _, let count, _) = self { count } else { nil }
        }
    }

    public static let units: Set<String> = [
        "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
        "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second",
        "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
        "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
    ]

    private struct Metadata: Decodable {
        struct AWS: Decodable {
            let Timestamp: Int64
            let CloudWatchMetrics: [Directive]
        }
        struct Directive: Decodable {
            let Namespace: String
            let Dimensions: [[String]]
            let Metrics: [Definition]
        }
        struct Definition: Decodable {
            let Name: String
            let Unit: String?
        }
        let _aws: AWS
    }

    public let line: String
    public let timestamp: Int64
    public let namespace: String
    /// The dimension sets of the (only) directive.
    public let dimensionSets: [[String]]
    public let dimensions: [String: String]
    public let units: [String: String]
    public let values: [String: Value]

    public init(_ line: String) throws {
        self.line = line
        guard !line.contains("\n") else { throw SpecViolation(description: "a document spans lines") }
        let data = Data(line.utf8)
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw SpecViolation(description: "the root is not an object")
        }
        let metadata = try JSONDecoder().decode(Metadata.self, from: data)
        guard !line.contains(":true"), !line.contains(":false"), !line.contains(":null") else {
            throw SpecViolation(description: "a value that is not a string, a number, an array or an object")
        }
        guard try Self.rawMember("Timestamp", in: line).allSatisfy(\.isNumber) else {
            throw SpecViolation(description: "Timestamp is not an integer")
        }
        guard metadata._aws.CloudWatchMetrics.count == 1, let directive = metadata._aws.CloudWatchMetrics.first else {
            throw SpecViolation(description: "expected exactly one directive")
        }
        guard (1...255).contains(directive.Namespace.count) else { throw SpecViolation(description: "bad namespace") }
        guard !directive.Dimensions.isEmpty else { throw SpecViolation(description: "no dimension set") }
        guard (1...100).contains(directive.Metrics.count) else {
            throw SpecViolation(description: "\(directive.Metrics.count) metric definitions")
        }
        var dimensions: [String: String] = [:]
        for set in directive.Dimensions {
            guard set.count <= 30 else { throw SpecViolation(description: "a dimension set of \(set.count)") }
            for name in set {
                guard let value = root[name] as? String, (1...1024).contains(value.count) else {
                    throw SpecViolation(description: "dimension \(name) is not a top-level string")
                }
                dimensions[name] = value
            }
        }
        var units: [String: String] = [:]
        var values: [String: Value] = [:]
        for definition in directive.Metrics {
            let unit = definition.Unit ?? "None"
            guard Self.units.contains(unit) else { throw SpecViolation(description: "unit \(unit)") }
            guard dimensions[definition.Name] == nil, values[definition.Name] == nil else {
                throw SpecViolation(description: "\(definition.Name) is defined twice")
            }
            guard let member = root[definition.Name] else {
                throw SpecViolation(description: "metric \(definition.Name) is not a top-level member")
            }
            units[definition.Name] = unit
            values[definition.Name] = try Self.value(member, of: definition.Name)
        }
        guard root.count == 1 + dimensions.count + values.count else {
            throw SpecViolation(description: "members beyond _aws, the dimensions and the metrics, or duplicates")
        }
        timestamp = metadata._aws.Timestamp
        namespace = directive.Namespace
        dimensionSets = directive.Dimensions
        self.dimensions = dimensions
        self.units = units
        self.values = values
    }

    private static func value(_ member: Any, of name: String) throws -> Value {
        if let number = member as? NSNumber {
            return .number(number.doubleValue)
        }
        if let array = member as? [NSNumber] {
            guard array.count <= 100 else { throw SpecViolation(description: "\(name) has \(array.count) values") }
            throw SpecViolation(description: "plain arrays are not written by this backend")
        }
        guard let object = member as? [String: Any],
            let values = object["Values"] as? [NSNumber], let counts = object["Counts"] as? [NSNumber],
            let max = object["Max"] as? NSNumber, let min = object["Min"] as? NSNumber,
            let count = object["Count"] as? NSNumber, let sum = object["Sum"] as? NSNumber
        else { throw SpecViolation(description: "\(name) is neither a number nor a statistic set") }
        guard values.count == counts.count, (1...100).contains(values.count) else {
            throw SpecViolation(description: "\(name) has \(values.count) values and \(counts.count) counts")
        }
        let total = counts.reduce(0) { $0 + $1.intValue }
        guard total == count.intValue, counts.allSatisfy({ $0.intValue > 0 }) else {
            throw SpecViolation(description: "\(name): Count \(count) is not the sum of Counts")
        }
        guard min.doubleValue <= max.doubleValue else { throw SpecViolation(description: "\(name): Min > Max") }
        return .statistics(
            values: values.map(\.doubleValue), counts: counts.map(\.intValue),
            max: max.doubleValue, min: min.doubleValue, count: count.intValue, sum: sum.doubleValue
        )
    }

    /// The text of a top-level member's value, for the checks that JSON parsers hide (integer or not).
    public static func rawMember(_ name: String, in line: String) throws -> Substring {
        let key = "\"\(name)\":"
        guard let range = line.range(of: key) else { throw SpecViolation(description: "no \(name)") }
        let rest = line[range.upperBound...]
        return rest.prefix { $0 != "," && $0 != "}" }
    }

    /// A metric's single number, or nil.
    public func number(_ name: String) -> Double? {
        if case .number(let value) = values[name] { value } else { nil }
    }
}

extension EMFDocument {
    /// Every EMF document among `output`'s lines (other log lines are skipped), each checked against
    /// the specification.
    public static func all(in output: String) throws -> [EMFDocument] {
        try output.split(separator: "\n").filter { $0.hasPrefix("{") && $0.contains(#""_aws":"#) }.map { try EMFDocument(String($0)) }
    }

    /// The sum of metric `name` over `documents` whose dimensions include `dimensions` (counters; a
    /// statistic set counts its sum).
    public static func total(_ name: String, in documents: [EMFDocument], where dimensions: [String: String] = [:]) -> Double {
        documents.filter { document in dimensions.allSatisfy { document.dimensions[$0.key] == $0.value } }.reduce(0) { sum, document in
            switch document.values[name] {
            case .number(let value): sum + value
            case .statistics(_, _, _, _, _, let total): sum + total
            case nil: sum
            }
        }
    }

    /// How many values metric `name` recorded over `documents` matching `dimensions` (timers and recorders).
    public static func samples(_ name: String, in documents: [EMFDocument], where dimensions: [String: String] = [:]) -> Int {
        documents.filter { document in dimensions.allSatisfy { document.dimensions[$0.key] == $0.value } }.reduce(0) { sum, document in
            switch document.values[name] {
            case .number: sum + 1
            case .statistics(_, _, _, _, let count, _): sum + count
            case nil: sum
            }
        }
    }
}
