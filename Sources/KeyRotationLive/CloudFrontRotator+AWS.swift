public import AWSCore
import AWSServices
public import KeyMaterial
public import KeyRotation

extension CloudFrontRotator {
    /// The rotator the Lambda function and the CLI run: Secrets Manager and CloudFront through
    /// `client`, and the origin probed over HTTP when `ORIGIN_URL` is set.
    public init(configuration: CloudFrontRotationConfiguration, client: AWSClient, generator: SecretGenerator = SecretGenerator()) {
        var target = CloudFrontHeaderTarget(cloudFront: CloudFrontClient(client: client), distributionIds: configuration.distributionIds,
                                            headerName: configuration.headerName)
        target.initialPollInterval = configuration.deployPollInterval
        target.conflictBackoff = min(configuration.deployPollInterval, .milliseconds(500))
        let probe = configuration.originURL.map {
            HTTPOriginProbe(url: $0, headerName: configuration.headerName, timeout: configuration.probeTimeout, trustedCAFile: configuration.originCAFile)
        }
        self.init(configuration: configuration, secrets: SecretsManagerClient(client: client), target: target, probe: probe, generator: generator)
    }
}
