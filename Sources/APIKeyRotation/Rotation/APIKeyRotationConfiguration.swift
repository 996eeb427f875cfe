/// The settings of `apikey-sweep` and `apikey-rotate`, from the function's environment; the CLI
/// builds the same from its flags.
public struct APIKeyRotationConfiguration: Sendable, Equatable {
    /// `TABLE_NAME`: the table of items (APIGateway-API-Key-Auto-Rotation's variable).
    public var tableName: String
    /// `ROTATION_INTERVAL_DAYS` (30): an item whose `updateTime` is older is due.
    public var rotationIntervalDays: Double
    /// `GRACE_PERIOD_HOURS` (24): how long the old key keeps working after a rotation.
    public var gracePeriodHours: Double
    /// `STORE_KEY_VALUE` (false): also write the new value to `APIKeyValue`, as APIGateway-API-Key-Auto-Rotation did.
    public var storeKeyValue: Bool
    /// `ROTATION_INDEX_NAME` (`RotationDueIndex`): hash `usagePlanID`, range `updateTime`.
    public var rotationIndexName: String
    /// `RETIREMENT_INDEX_NAME` (`RetirementDueIndex`): hash `usagePlanID`, range `previousKeyRetireAt` (sparse).
    public var retirementIndexName: String
    /// `API_KEY_LIMIT` (10000): keys API Gateway allows per account and Region.
    public var keyLimit: Int
    /// The rate limits and the queue's maximum concurrency.
    public var rates: RateConfiguration

    public static let defaultRotationIndexName = "RotationDueIndex"
    public static let defaultRetirementIndexName = "RetirementDueIndex"

    public init(tableName: String, rotationIntervalDays: Double = 30, gracePeriodHours: Double = 24, storeKeyValue: Bool = false,
                rotationIndexName: String = Self.defaultRotationIndexName, retirementIndexName: String = Self.defaultRetirementIndexName,
                keyLimit: Int = 10_000, rates: RateConfiguration = RateConfiguration()) {
        self.tableName = tableName
        self.rotationIntervalDays = rotationIntervalDays
        self.gracePeriodHours = gracePeriodHours
        self.storeKeyValue = storeKeyValue
        self.rotationIndexName = rotationIndexName
        self.retirementIndexName = retirementIndexName
        self.keyLimit = keyLimit
        self.rates = rates
    }

    /// Reads the environment; an unset variable takes its default, a wrong one is an error naming it.
    public init(environment: [String: String]) throws(APIKeyRotationError) {
        let read = EnvironmentReader(environment)
        guard let table = read.string("TABLE_NAME") else {
            throw APIKeyRotationError(.invalidConfiguration, "TABLE_NAME is not set: set it to the name of the DynamoDB table that holds the items (itemID, APIGWKeyID, usagePlanID, updateTime).")
        }
        self.init(tableName: table,
                  rotationIntervalDays: try read.number("ROTATION_INTERVAL_DAYS", default: 30, minimum: 0),
                  gracePeriodHours: try read.number("GRACE_PERIOD_HOURS", default: 24, minimum: 0),
                  storeKeyValue: try read.bool("STORE_KEY_VALUE", default: false),
                  rotationIndexName: read.string("ROTATION_INDEX_NAME") ?? Self.defaultRotationIndexName,
                  retirementIndexName: read.string("RETIREMENT_INDEX_NAME") ?? Self.defaultRetirementIndexName,
                  keyLimit: Int(try read.number("API_KEY_LIMIT", default: 10_000, minimum: 1)),
                  rates: try RateConfiguration(environment: environment))
    }
}
