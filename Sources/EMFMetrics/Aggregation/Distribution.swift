#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The values of a recorder or timer since the last flush, kept as bins of values rounded to three
/// significant digits (at most 0.5% off), each with its exact count, sum, minimum and maximum.
///
/// Integers below 1000 keep their exact value; the `Sum`, `Min`, `Max` and `Count` written for a
/// bin are always exact. Between two flushes a distribution keeps at most
/// ``EMFLimits/binsPerDistribution`` bins.
struct Distribution: Sendable {
    struct Bin: Sendable, Equatable {
        var count: Int
        var sum: Double
        var minimum: Double
        var maximum: Double
    }

    private(set) var bins: [Double: Bin] = [:]
    /// The sum of the magnitudes of every value: while it is finite, so is the sum of any bins.
    private var magnitude = 0.0

    /// Adds `value`; returns `false`, adding nothing, when it is not finite, when it would make a
    /// sum infinite, or when it needs a new bin past the limit.
    mutating func record(_ value: Double) -> Bool {
        let magnitude = self.magnitude + Swift.abs(value)
        guard magnitude.isFinite else { return false }
        let key = Self.binValue(value)
        guard var bin = bins[key] else {
            guard bins.count < EMFLimits.binsPerDistribution else { return false }
            bins[key] = Bin(count: 1, sum: value, minimum: value, maximum: value)
            self.magnitude = magnitude
            return true
        }
        self.magnitude = magnitude
        bin.count += 1
        bin.sum += value
        bin.minimum = Swift.min(bin.minimum, value)
        bin.maximum = Swift.max(bin.maximum, value)
        bins[key] = bin
        return true
    }

    /// The bins in increasing order of value, in groups of at most `size`.
    func chunks(of size: Int) -> [ArraySlice<(value: Double, bin: Bin)>] {
        let sorted = bins.map { (value: $0.key, bin: $0.value) }.sorted { $0.value < $1.value }
        return stride(from: 0, to: sorted.count, by: size).map { sorted[$0..<Swift.min($0 + size, sorted.count)] }
    }

    /// `value` rounded to three significant digits. Scaling by an exact power of ten and rounding
    /// once gives the double nearest the decimal, which prints as that decimal (12.3, not 12.300000001).
    static func binValue(_ value: Double) -> Double {
        guard value != 0, value.isFinite else { return value }
        let exponent = Int(log10(Swift.abs(value)).rounded(.down))
        let scale = 2 - exponent
        guard Swift.abs(scale) <= 300 else { return value }
        let power = powerOfTen(Swift.abs(scale))
        return scale >= 0 ? (value * power).rounded() / power : (value / power).rounded() * power
    }

    private static func powerOfTen(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<exponent { result *= 10 }
        return result
    }
}
