import ArgumentParser
import Foundation

/// `keyrotator origin doctor`: is this origin-secret setup safe? Check by check, what is wrong and
/// the command that fixes it.
struct OriginDoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the origin-secret setup and say, check by check, what is wrong and how to fix it.",
        discussion: """
        Checks: rotation (enabled, its schedule and function); secret (the AWSCURRENT value, and an \
        AWSPENDING one outside it, is a JSON object with a string under --secret-key-name); pending (an AWSPENDING left on a \
        version that is not AWSCURRENT, for longer than Secrets Manager may be retrying the \
        rotation: the rotation window, at least 15 min, or --pending-stuck-after; it blocks every \
        later rotation); distributions (every origin \
        sends the header with the current or pending value); rotation-function (its timeout \
        covers setSecret's wait for the verifiers, its environment names this secret's key, the \
        header and every distribution; read with GetFunctionConfiguration and the function's own \
        parser); authorizer-function (its environment, its cache TTL and grace); \
        authorizer-result-ttl (the Lambda authorizers of --rest-api-id and/or --http-api-id, \
        GetAuthorizers of API Gateway v1 or v2); grace-budget (AWSPREVIOUS accepted for at least \
        CloudFront propagation, budgeted at 15 min, + the result TTL + the verifier's TTL; the \
        rotation function waits at least the verifier's TTL); rotation-interval (the shortest \
        time the rotation rules allow between two rotations, AutomaticallyAfterDays, rate(N \
        hours|days) or cron(...) less the rotation window, is longer than the grace; a cron with \
        L, W, # or years is skipped and says why). A check without what it needs is \
        skipped and says so. Never prints a value.

        --json prints one object: secretId, healthy, checks [{name, status: ok|problem|skipped, \
        finding, fix}].

        \(ExitStatus.helpText)
        """
    )

    @OptionGroup var secret: SecretOptions
    @OptionGroup var distributions: DistributionOptions
    @OptionGroup var header: HeaderOptions
    @Option(name: .customLong("rotation-function"), help: "The rotation function's name or ARN; default: the one the secret names.")
    var rotationFunction: String?
    @Option(name: .customLong("authorizer-function"), help: "The authorizer function's name or ARN (its CACHE_TTL_SECONDS and PREVIOUS_GRACE_SECONDS).")
    var authorizerFunction: String?
    @Option(name: .customLong("rest-api-id"), help: "The REST API whose Lambda authorizer checks the header (its result TTL).")
    var restApiId: String?
    @Option(name: .customLong("http-api-id"), help: "The HTTP API (API Gateway v2) whose Lambda authorizer checks the header (its result TTL).")
    var httpApiId: String?
    @Option(name: .customLong("pending-stuck-after"), help: "Seconds after which an AWSPENDING outside AWSCURRENT is reported stuck; default: the rotation window (at least 900), during which Secrets Manager may still be retrying it.")
    var pendingStuckAfter: Int?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let pendingStuckAfter, pendingStuckAfter < 0 { throw ValidationError("--pending-stuck-after is a number of seconds, 0 or more.") }
    }

    func run() async throws {
        try await CommandEnvironment.run(secretId: secret.secretId, verbose: output.verbose) { environment in
            let doctor = OriginDoctor(client: environment.client, secretId: secret.secretId, secretKeyName: secret.secretKeyName,
                                      headerName: header.headerName, distributionIds: distributions.distributionIds,
                                      rotationFunction: rotationFunction, authorizerFunction: authorizerFunction, restApiId: restApiId,
                                      httpApiId: httpApiId, pendingStuckAfter: pendingStuckAfter.map(TimeInterval.init))
            let report = try await doctor.run()
            if output.json { try Console.printJSON(report) } else { Console.out(report.text) }
            return report.healthy ? .ok : .failed
        }
    }
}
