import Foundation
import LocalEmulator
import Testing
import TestSupport

/// The child-process runners over swift-subprocess: `ChildProcess` (moto, LocalStack, botocore)
/// and `RuntimeAPIEmulator` (bootstrap), with shell scripts standing in for the real programs.
@Suite("child processes", .timeLimit(.minutes(2)))
struct ChildProcessTests {
    private static let ignoresSIGTERM = "trap '' TERM; echo ready; while :; do sleep 0.1; done"

    @Test("stdout comes line by line and then nil; the exit status is reported; stderr goes to the log")
    func linesAndExit() async throws {
        let child = try await ChildProcess(
            executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "echo one; echo two >&2; echo three; exit 4"],
            stderrLogName: "keyrotator-child-test"
        )
        defer { try? FileManager.default.removeItem(at: child.stderrLog) }
        #expect(try await child.nextLine(timeout: .seconds(30)) == "one")
        #expect(try await child.nextLine(timeout: .seconds(30)) == "three")
        #expect(try await child.nextLine(timeout: .seconds(30)) == nil)
        #expect(try await child.waitForExit() == 4)
        #expect(child.stderrTail().contains("two"))
    }

    @Test("stdin stays open until it is closed; terminate kills a child that ignores SIGTERM")
    func standardInputAndTerminate() async throws {
        let cat = try await ChildProcess(executable: URL(fileURLWithPath: "/bin/cat"), arguments: [], stderrLogName: "keyrotator-child-test")
        defer { try? FileManager.default.removeItem(at: cat.stderrLog) }
        try await Task.sleep(for: .milliseconds(300))
        #expect(cat.isRunning)
        cat.closeStandardInput()
        #expect(try await cat.waitForExit(timeout: .seconds(30)) == 0)

        let stubborn = try await ChildProcess(
            executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", Self.ignoresSIGTERM], stderrLogName: "keyrotator-child-test"
        )
        defer { try? FileManager.default.removeItem(at: stubborn.stderrLog) }
        #expect(try await stubborn.nextLine(timeout: .seconds(30)) == "ready")
        await stubborn.terminate(grace: .milliseconds(300))
        #expect(!stubborn.isRunning)
        #expect(try await stubborn.waitForExit(timeout: .seconds(1)) == SIGKILL)
    }

    @Test("a bootstrap that exits fails the waiting invocation at once, with its status and output")
    func bootstrapExitFailsPendingInvocation() async throws {
        try await RuntimeAPIEmulator.with(handler: nil, executable: "/bin/sh", arguments: ["-c", "echo started; sleep 2; exit 3"]) { lambda in
            let began = ContinuousClock.now
            let error = await #expect(throws: RuntimeAPIEmulatorError.self) {
                try await lambda.invoke(json: "{}", timeout: .seconds(60))
            }
            guard case .processExited(let status, _, let standardOutput)? = error else {
                Issue.record("expected processExited, got \(String(describing: error))")
                return
            }
            #expect(status == 3)
            #expect(standardOutput.contains("started"))
            #expect(ContinuousClock.now - began < .seconds(30), "failed when the process exited, not at the timeout")
            #expect(lambda.exitStatus == 3)
        }
    }

    @Test("stop kills a bootstrap that ignores SIGTERM after its grace")
    func stopKillsAStubbornBootstrap() async throws {
        let lambda = try await RuntimeAPIEmulator.start(handler: nil, executable: "/bin/sh", arguments: ["-c", Self.ignoresSIGTERM])
        let deadline = ContinuousClock.now + .seconds(30)
        while !lambda.standardOutput.contains("ready"), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(lambda.exitStatus == nil)
        #expect(lambda.peakResidentKiB() != nil)
        await lambda.stop()
        #expect(lambda.exitStatus == SIGKILL)
    }
}
