/// Finds the region the way the AWS SDKs do: `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the
/// selected profile's `region` in the shared config file.
public enum RegionResolver {
    public static func resolve(_ environment: AWSEnvironment) throws(AWSConfigurationError) -> String {
        if let region = environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] { return region }
        let config = try environment.sharedConfig()
        guard let profile = config.profile(environment.profileName) else {
            if environment.profileIsExplicit { throw .profileNotFound(environment.profileName, files: config.filesRead) }
            throw .missingRegion(profile: environment.profileName)
        }
        if let region = profile["region"] { return region }
        throw .missingRegion(profile: environment.profileName)
    }
}
