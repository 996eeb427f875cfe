import Foundation
public import NIOCore
import NIOHTTP1
public import NIOPosix
import Synchronization

/// An emulation of the Lambda Runtime API (2018-06-01) on 127.0.0.1: queues invocations for
/// `GET /runtime/invocation/next` and collects what the function answers.
///
/// ``RuntimeAPIEmulator`` pairs it with a `bootstrap` process; use it alone to drive any runtime.
public final class RuntimeAPIServer: Sendable {
    /// The port on 127.0.0.1; `AWS_LAMBDA_RUNTIME_API` is `127.0.0.1:<port>`.
    public let port: Int
    /// The value for `AWS_LAMBDA_RUNTIME_API`.
    public var endpoint: String { "127.0.0.1:\(port)" }

    private let channel: any Channel
    private let eventLoop: any EventLoop
    let state: Mutex<State>

    struct State {
        var queued: [RuntimeAPIInvocation] = []
        var waitingForNext: [EventLoopPromise<RuntimeAPIInvocation>] = []
        var outcomes: [String: EventLoopPromise<RuntimeAPIOutcome>] = [:]
        var initErrors: [RuntimeAPIErrorReport] = []
        var initErrorWaiters: [EventLoopPromise<RuntimeAPIErrorReport>] = []
        var nextRequests = 0
        var deliveries: [String: RuntimeAPIDelivery] = [:]
        /// Set once the function can no longer answer (its process exited).
        var terminalError: (any Error & Sendable)?
    }

    /// Starts listening on an ephemeral port of 127.0.0.1.
    public static func start(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> RuntimeAPIServer {
        let eventLoop = group.next()
        let box = ServerBox()
        let channel = try await ServerBootstrap(group: eventLoop)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
                    channel.pipeline.addHandler(RuntimeAPIHTTPHandler(server: box))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw RuntimeAPIEmulatorError.cannotListen
        }
        let server = RuntimeAPIServer(port: port, channel: channel, eventLoop: eventLoop)
        box.server.withLock { $0 = server }
        return server
    }

    private init(port: Int, channel: any Channel, eventLoop: any EventLoop) {
        self.port = port
        self.channel = channel
        self.eventLoop = eventLoop
        self.state = Mutex(State())
    }

    /// Queues `invocation` and waits for the function's answer to it.
    public func invoke(_ invocation: RuntimeAPIInvocation, timeout: Duration = .seconds(30)) async throws -> RuntimeAPIOutcome {
        let promise = eventLoop.makePromise(of: RuntimeAPIOutcome.self)
        let requestID = invocation.requestID
        let failure: (any Error)? = state.withLock { state in
            if let error = state.terminalError { return error }
            state.outcomes[requestID] = promise
            if state.waitingForNext.isEmpty {
                state.queued.append(invocation)
            } else {
                state.waitingForNext.removeFirst().succeed(invocation)
            }
            return nil
        }
        if let failure {
            promise.fail(failure)
        } else {
            eventLoop.scheduleTask(in: TimeAmount(timeout)) { [self] in
                let expired = state.withLock { $0.outcomes.removeValue(forKey: requestID) }
                expired?.fail(RuntimeAPIEmulatorError.timedOut(what: "the answer to invocation \(requestID)", after: timeout))
            }
        }
        return try await promise.futureResult.get()
    }

    /// Queues an invocation whose event is `json` and waits for the answer.
    public func invoke(json: String, timeout: Duration = .seconds(30)) async throws -> RuntimeAPIOutcome {
        try await invoke(RuntimeAPIInvocation(json: json), timeout: timeout)
    }

    /// The init errors reported so far (`POST /runtime/init/error`).
    public var initErrors: [RuntimeAPIErrorReport] { state.withLock { $0.initErrors } }

    /// How many `GET /runtime/invocation/next` requests arrived.
    public var nextRequestCount: Int { state.withLock { $0.nextRequests } }

    /// When invocation `requestID` was handed to the function, the deadline it was given and when its
    /// answer arrived, as recorded on the server's event loop; nil until it was delivered.
    public func delivery(of requestID: String) -> RuntimeAPIDelivery? {
        state.withLock { $0.deliveries[requestID] }
    }

    /// Waits for the first init error.
    public func initError(timeout: Duration = .seconds(30)) async throws -> RuntimeAPIErrorReport {
        let promise = eventLoop.makePromise(of: RuntimeAPIErrorReport.self)
        let ready: Result<RuntimeAPIErrorReport, any Error>? = state.withLock { state in
            if let first = state.initErrors.first { return .success(first) }
            if let error = state.terminalError { return .failure(error) }
            state.initErrorWaiters.append(promise)
            return nil
        }
        switch ready {
        case .success(let report):
            promise.succeed(report)   // NIO traps on a promise dropped unfulfilled
            return report
        case .failure(let error):
            promise.fail(error)
            throw error
        case nil: break
        }
        eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            promise.fail(RuntimeAPIEmulatorError.timedOut(what: "an init error", after: timeout))
        }
        return try await promise.futureResult.get()
    }

    /// Fails every pending and future wait with `error` (the function is gone).
    public func failPending(with error: any Error & Sendable) {
        let (outcomes, initWaiters, nextWaiters) = state.withLock { state in
            state.terminalError = state.terminalError ?? error
            defer {
                state.outcomes = [:]
                state.initErrorWaiters = []
                state.waitingForNext = []
            }
            return (Array(state.outcomes.values), state.initErrorWaiters, state.waitingForNext)
        }
        outcomes.forEach { $0.fail(error) }
        initWaiters.forEach { $0.fail(error) }
        nextWaiters.forEach { $0.fail(error) }
    }

    /// Stops listening and closes the function's connections.
    public func stop() async {
        failPending(with: RuntimeAPIEmulatorError.stopped)
        try? await channel.close()
    }

    // MARK: requests from the function

    func nextInvocation(on eventLoop: any EventLoop) -> EventLoopFuture<RuntimeAPIInvocation> {
        let promise = eventLoop.makePromise(of: RuntimeAPIInvocation.self)
        state.withLock { state in
            state.nextRequests += 1
            if state.queued.isEmpty {
                state.waitingForNext.append(promise)
            } else {
                promise.succeed(state.queued.removeFirst())
            }
        }
        return promise.futureResult
    }

    /// Notes that `invocation` was handed to the function at `deliveredAtMilliseconds` with these `/next` headers.
    func recordDelivery(_ invocation: RuntimeAPIInvocation, headers: [(String, String)], deliveredAtMilliseconds: Int64) {
        let deadline = headers.last { $0.0.lowercased() == "lambda-runtime-deadline-ms" }.flatMap { Int64($0.1) }
        state.withLock {
            $0.deliveries[invocation.requestID] = RuntimeAPIDelivery(deliveredAtMilliseconds: deliveredAtMilliseconds, deadlineMilliseconds: deadline)
        }
    }

    /// Records an invocation's outcome; false when no invocation with that id is pending.
    func record(_ outcome: RuntimeAPIOutcome, requestID: String, arrivedAtMilliseconds: Int64) -> Bool {
        let promise = state.withLock { state in
            if var delivery = state.deliveries[requestID], delivery.answeredAtMilliseconds == nil {
                delivery.answeredAtMilliseconds = arrivedAtMilliseconds
                state.deliveries[requestID] = delivery
            }
            return state.outcomes.removeValue(forKey: requestID)
        }
        guard let promise else { return false }
        promise.succeed(outcome)
        return true
    }

    func recordInitError(_ report: RuntimeAPIErrorReport) {
        let waiters = state.withLock { state in
            state.initErrors.append(report)
            defer { state.initErrorWaiters = [] }
            return state.initErrorWaiters
        }
        waiters.forEach { $0.succeed(report) }
    }
}

/// One invocation as the function saw it, in milliseconds since 1970 (the unit of
/// `Lambda-Runtime-Deadline-Ms`), each instant taken on the server's event loop.
public struct RuntimeAPIDelivery: Sendable, Equatable {
    /// When `/next` answered with the invocation.
    public var deliveredAtMilliseconds: Int64
    /// The `Lambda-Runtime-Deadline-Ms` it was given; nil when the header was left out or not a number.
    public var deadlineMilliseconds: Int64?
    /// When its `/response` or `/error` arrived; nil while unanswered.
    public var answeredAtMilliseconds: Int64?

    /// Whether the answer arrived before the deadline the function was given.
    public var answeredBeforeDeadline: Bool {
        guard let deadlineMilliseconds, let answeredAtMilliseconds else { return false }
        return answeredAtMilliseconds < deadlineMilliseconds
    }
}

/// Lets the child channel handlers reach the server created after the bind.
final class ServerBox: Sendable {
    let server = Mutex<RuntimeAPIServer?>(nil)
}

