import ArgumentParser

/// `keyrotator-demo`: a rotation of the CloudFront origin secret under live traffic, on the local
/// AWS emulator.
@main
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keyrotator-demo",
        abstract: "Rotate a CloudFront origin secret under live traffic against the local AWS emulator, and count rejected requests.",
        discussion: """
        Starts moto (IAM auth on), a secret, a distribution whose origin is a local server guarded by the \
        KeyRotator verifier behind a stand-in for API Gateway's authorizer result cache, simulated edges that keep sending the old header value for a while after each \
        change, and steady traffic through them. Then it rotates the secret with the same code the Lambda \
        runs, prints a timeline and a summary, and writes an SVG chart. Nothing keeps running afterwards.
        Exit status: 0 when no request was rejected by the KeyRotator origin, 1 otherwise, 3 on a set-up error.
        """
    )

    @Option(help: "How long the slowest edge keeps sending the previous value after a change, in seconds.")
    var lag: Double = 6

    @Option(help: "Total run time in seconds (at least warm-up + verifier TTL + 1 + lag + 3).")
    var duration: Double = 20

    @Option(help: "Seconds of traffic before the rotation starts.")
    var warmup: Double = 3

    @Option(help: "Requests per second through the edges.")
    var rate: Int = 40

    @Option(help: "How long the verifier caches its key ring, in seconds; setSecret waits this long (plus 1 s) after the new value exists before any edge sends it.")
    var verifierTTL: Double = 3

    @Option(help: "How long the stand-in for API Gateway's authorizer result cache keeps an Allow or a Deny, in seconds.")
    var gatewayTTL: Double = 10

    @Option(help: "Number of simulated edge locations.")
    var edges: Int = 4

    @Flag(help: "Also run an origin built like amazon-api-gateway-secure-authorizer (no grace window for AWSPREVIOUS, reads Secrets Manager on every request) side by side, to show the rejections it causes.")
    var noGrace = false

    @Option(help: "Where to write rotation.svg and summary.json.")
    var outputDir: String = "out/demo"

    @Option(help: "The repository root (holds scripts/moto_harness.py and .venv).")
    var repositoryRoot: String = "."

    @Flag(help: "Print the summary as JSON instead of the table.")
    var json = false

    func validate() throws {
        guard lag > 0, warmup >= 0, rate > 0, rate <= 1000, edges > 0, edges <= 32 else {
            throw ValidationError("--lag, --rate (1-1000) and --edges (1-32) must be positive, --warmup not negative.")
        }
        guard verifierTTL > 0, verifierTTL <= 60, gatewayTTL > 0, gatewayTTL <= 3600 else {
            throw ValidationError("--verifier-ttl must be more than 0 and at most 60 seconds, --gateway-ttl more than 0 and at most 3600.")
        }
        let shortest = warmup + verifierTTL + 1 + lag + 3
        guard duration >= shortest else {
            throw ValidationError("--duration must be at least --warmup + --verifier-ttl + 1 + --lag + 3 seconds (here \(shortest)).")
        }
    }

    func run() async throws {
        let exitCode = await DemoRun(options: self).runUntilDoneOrInterrupted()
        if exitCode != 0 { throw ExitCode(exitCode) }
    }
}
