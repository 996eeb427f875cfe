#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The CPU time the calling thread spent in `body`, with what it returned: unlike wall time, it
/// does not grow when a loaded machine leaves the thread waiting for a core, so a bound on it
/// tests the work done (e.g. "the parser is not quadratic") and not the machine's load.
/// `body` must run synchronously on this thread.
public func measureThreadCPUTime<T>(_ body: () throws -> T) rethrows -> (result: T, cpuTime: Duration) {
    let start = threadCPUNow()
    let result = try body()
    return (result, threadCPUNow() - start)
}

private func threadCPUNow() -> Duration {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return .seconds(Int64(spec.tv_sec)) + .nanoseconds(Int64(spec.tv_nsec))
}
