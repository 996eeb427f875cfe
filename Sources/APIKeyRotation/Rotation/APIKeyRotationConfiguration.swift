import AWSCore

/// The settings of `apikey-sweep` and `apikey-rotate`, from the function's environment; the CLI
/// builds the same from its flags.
public struct APIKeyRotationConfiguration: Sendable, Equatable {
    /// `TABLE_NAME`: the table of items (seed 002's variable).
    public var tableName: String
    /// `ROTATION_INTERVAL_DAYS` (30): an item whose `updateTime` is older is due.
    public var rotationIntervalDays: Double
    /// `GRACE_PERIOD_HOURS` (24): how long the old key keeps working after a rotation.
    public var gracePeriodHours: Double
    /// `STORE_KEY_VALUE` (false): also write the new value to `APIKeyValue`, as seed 002 did.
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

/// API Gateway's account-wide rates, divided among the functions the queue runs at once.
///
/// CreateApiKey and DeleteApiKey allow 5 requests/s per account, all management calls together
/// about 10/s; neither can be raised. The queue's event source mapping runs at most
/// `maxConcurrency` rotate functions at once, so each takes `1/maxConcurrency` of each budget:
/// the limiter is shared by design, with no coordination at run time.
public struct RateConfiguration: Sendable, Equatable {
    /// `APIGATEWAY_KEY_RATE` (4.8): CreateApiKey and DeleteApiKey per second, for the whole account.
    public var keyWritesPerSecond: Double
    /// `APIGATEWAY_CALL_RATE` (9.6): API Gateway calls per second, for the whole account.
    public var callsPerSecond: Double
    /// `MAX_CONCURRENCY` (2): the event source mapping's maximum concurrency.
    public var maxConcurrency: Int

    public init(keyWritesPerSecond: Double = 4.8, callsPerSecond: Double = 9.6, maxConcurrency: Int = 2) {
        self.keyWritesPerSecond = keyWritesPerSecond
        self.callsPerSecond = callsPerSecond
        self.maxConcurrency = max(1, maxConcurrency)
    }

    public init(environment: [String: String]) throws(APIKeyRotationError) {
        let read = EnvironmentReader(environment)
        self.init(keyWritesPerSecond: try read.number("APIGATEWAY_KEY_RATE", default: 4.8, minimum: 0.01),
                  callsPerSecond: try read.number("APIGATEWAY_CALL_RATE", default: 9.6, minimum: 0.01),
                  maxConcurrency: Int(try read.number("MAX_CONCURRENCY", default: 2, minimum: 1)))
    }

    /// This process's share of the key-write budget.
    public var keyWritesPerSecondPerFunction: Double { keyWritesPerSecond / Double(maxConcurrency) }
    /// This process's share of the call budget.
    public var callsPerSecondPerFunction: Double { callsPerSecond / Double(maxConcurrency) }
}

/// Reads typed settings from an environment, with errors that name the variable.
struct EnvironmentReader {
    let environment: [String: String]
    init(_ environment: [String: String]) { self.environment = environment }

    func string(_ name: String) -> String? {
        guard let value = environment[name]?.trimmingWhitespace(), !value.isEmpty else { return nil }
        return value
    }

    func number(_ name: String, default value: Double, minimum: Double) throws(APIKeyRotationError) -> Double {
        guard let text = string(name) else { return value }
        guard let number = Double(text), number.isFinite, number >= minimum else {
            throw APIKeyRotationError(.invalidConfiguration, "\(name) is '\(text)': set it to a number of at least \(minimum.formattedSetting) (default \(value.formattedSetting)).")
        }
        return number
    }

    func bool(_ name: String, default value: Bool) throws(APIKeyRotationError) -> Bool {
        guard let text = string(name) else { return value }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw APIKeyRotationError(.invalidConfiguration, "\(name) is '\(text)': set it to true or false (default \(value)).")
        }
    }
}

extension Double {
    /// `30` rather than `30.0`.
    var formattedSetting: String { self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : String(self) }
}
