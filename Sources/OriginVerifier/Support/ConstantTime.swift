/// Byte comparison whose running time does not depend on where the inputs differ.
enum ConstantTime {
    /// Whether `candidate` equals `expected`. Every byte of `expected` is visited whatever `candidate`
    /// holds, so the time taken depends only on `expected.count` (the configured key length).
    @inline(__always)
    static func equals(_ candidate: UnsafeBufferPointer<UInt8>, _ expected: [UInt8]) -> Bool {
        var difference = candidate.count ^ expected.count
        expected.withUnsafeBufferPointer { expected in
            let candidateCount = candidate.count
            for index in 0..<expected.count {
                let byte: UInt8 = index < candidateCount ? candidate[index] : 0
                difference |= Int(byte ^ expected[index])
            }
        }
        return difference == 0
    }
}
