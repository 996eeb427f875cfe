import ArgumentParser

/// The flags of `origin rotate`, shared by `origin revoke`: which secret and distributions, where
/// the steps run, and how long to wait.
struct RotateOptions: ParsableArguments {
    @OptionGroup var secret: SecretOptions
    @OptionGroup var distributions: DistributionOptions
    @OptionGroup var header: HeaderOptions
    @Flag(name: .customLong("run-steps-here"), help: "Run createSecret, setSecret, testSecret and finishSecret in this process instead of the rotation function.")
    var runStepsHere = false
    @Option(name: .customLong("origin-url"), help: "With --run-steps-here: the origin testSecret probes (the Lambda's ORIGIN_URL).")
    var originURL: String?
    @Option(name: .customLong("origin-ca-file"), help: "With --origin-url: a PEM file of CAs to trust besides the system's, for an HTTPS origin with a private CA (the Lambda's ORIGIN_CA_FILE).")
    var originCAFile: String?
    @Option(name: .customLong("secret-key-length"), help: "With --run-steps-here: length of the new value (the Lambda's SECRET_KEY_LENGTH).")
    var secretKeyLength: Int = 32
    @Option(name: .customLong("verifier-cache-ttl"), help: "The longest any verifier caches the secret, in seconds (the Lambda's VERIFIER_CACHE_TTL_SECONDS): with --run-steps-here setSecret waits this long after the pending value exists before any origin sends it; revoke counts it in the remaining exposure.")
    var verifierCacheTTL: Double = 60
    @Option(name: .customLong("verifier-wait-margin"), help: "Seconds added to --verifier-cache-ttl for clock skew (the Lambda's VERIFIER_WAIT_MARGIN_SECONDS).")
    var verifierWaitMargin: Double = 5
    @Option(name: .customLong("timeout"), help: "Seconds to wait for the rotation to finish (CloudFront can take minutes to deploy).")
    var timeout: Int = 1800
    @Option(name: .customLong("poll-interval"), help: "Seconds between polls of the secret and the distributions.")
    var pollInterval: Double = 2
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let originURL { try validateOriginURL(originURL) }
        guard (16...1024).contains(secretKeyLength) else { throw ValidationError("--secret-key-length must be from 16 to 1024.") }
        guard timeout > 0 else { throw ValidationError("--timeout must be a positive number of seconds.") }
        guard (0...3600).contains(verifierCacheTTL), (0...3600).contains(verifierWaitMargin) else {
            throw ValidationError("--verifier-cache-ttl and --verifier-wait-margin must be from 0 to 3600 seconds.")
        }
        guard pollInterval > 0, pollInterval <= 60 else { throw ValidationError("--poll-interval must be more than 0 and at most 60 seconds.") }
        if runStepsHere && distributions.distributionIds.isEmpty {
            throw ValidationError("--run-steps-here needs --distribution-id (or CLOUDFRONT_DISTRIBUTION_ID): the distributions whose origins send the header.")
        }
        if originCAFile != nil && originURL == nil {
            throw ValidationError("--origin-ca-file applies to --origin-url.")
        }
        if originURL != nil && !runStepsHere {
            throw ValidationError("--origin-url applies to --run-steps-here; the rotation function probes its own ORIGIN_URL.")
        }
    }

    /// `--verifier-cache-ttl` plus `--verifier-wait-margin`: how long after a change every verifier has seen it.
    var verifierWindow: Duration { .milliseconds(Int((verifierCacheTTL + verifierWaitMargin) * 1000)) }
}
