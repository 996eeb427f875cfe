import Foundation
import Synchronization

/// Sends SIGTERM to every registered child when this process exits normally.
/// A crash is covered by the child itself: it sees EOF on stdin and polls its parent pid.
enum ChildProcessReaper {
    private static let pids = Mutex<Set<Int32>>([])
    private static let installed = Mutex(false)

    static func register(_ pid: Int32) {
        pids.withLock { _ = $0.insert(pid) }
        let install = installed.withLock { installed in
            defer { installed = true }
            return !installed
        }
        if install {
            atexit {
                for pid in ChildProcessReaper.pids.withLock({ $0 }) { kill(pid, SIGTERM) }
            }
        }
    }

    static func unregister(_ pid: Int32) {
        pids.withLock { _ = $0.remove(pid) }
    }
}
