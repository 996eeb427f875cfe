import ArgumentParser

/// `keyrotator origin doctor`: is this origin-secret setup safe? Check by check, what is wrong and
/// the command that fixes it.
struct OriginDoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the origin-secret setup and say, check by check, what is wrong and how to fix it.",
        discussion: """
        Checks: rotation (enabled, its schedule and function); pending (an AWSPENDING left on a \
        version that is not AWSCURRENT blocks every later rotation); distributions (every origin \
        sends the header with the current or pending value); rotation-function (its timeout \
        covers setSecret's wait for the verifiers, its environment names this secret's key, the \
        header and every distribution; read with GetFunctionConfiguration and the function's own \
        parser); authorizer-function (its environment, its cache TTL and grace); \
        authorizer-result-ttl (the REST API's Lambda authorizers, GetAuthorizers); grace-budget \
        (AWSPREVIOUS accepted for at least CloudFront propagation, budgeted at 15 min, + the \
        result TTL + the verifier's TTL; the rotation function waits at least the verifier's \
        TTL; the rotation interval longer than the grace). A check without what it needs is \
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
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await CommandEnvironment.run(secretId: secret.secretId, verbose: output.verbose) { environment in
            let doctor = OriginDoctor(client: environment.client, secretId: secret.secretId, secretKeyName: secret.secretKeyName,
                                      headerName: header.headerName, distributionIds: distributions.distributionIds,
                                      rotationFunction: rotationFunction, authorizerFunction: authorizerFunction, restApiId: restApiId)
            let report = try await doctor.run()
            if output.json { try Console.printJSON(report) } else { Console.out(report.text) }
            return report.healthy ? .ok : .failed
        }
    }
}
