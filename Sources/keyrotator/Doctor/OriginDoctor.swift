import AWSCore
import AWSServices
import Foundation
import KeyRotation
import OriginVerifier

/// The checks of `origin doctor`. Each reads what AWS holds and compares it with what the rotation
/// and the verifiers need; the functions' environments are read with the functions' own parsers,
/// so that doctor and the functions cannot disagree about a setting.
struct OriginDoctor {
    /// How long CloudFront edges may keep sending an old value after a change (AWS: "typically
    /// within minutes"); the README's grace budget uses the same figure.
    static let propagationBudget = 15 * 60
    /// A rotation step that has not finished after this long is not running: Lambda stops every
    /// invocation at 15 minutes.
    static let stuckAfter: TimeInterval = 15 * 60

    let client: AWSClient
    let secretId: String
    let secretKeyName: String
    let headerName: String
    let distributionIds: [String]
    let rotationFunction: String?
    let authorizerFunction: String?
    let restApiId: String?
    /// An HTTP API (API Gateway v2) whose Lambda authorizer checks the header.
    var httpApiId: String? = nil
    /// Overrides `retryHorizon`: how old an AWSPENDING outside AWSCURRENT must be to be reported stuck.
    var pendingStuckAfter: TimeInterval? = nil

    func run() async throws -> DoctorReport {
        let secrets = SecretsManagerClient(client: client)
        let description = try await secrets.describeSecret(secretId: secretId)
        let verifier = try await authorizerFunctionCheck()
        let grace = Int(Self.seconds(verifier.configuration?.previousGracePeriod ?? .seconds(1800)))
        var checks = [rotationSchedule(description, grace: grace), try await secretValues(description, secrets), try await pending(description, secrets)]
        checks.append(try await distributions())
        let rotation = try await rotationFunctionCheck(description)
        checks.append(rotation.check)
        checks.append(verifier.check)
        let resultTTL = try await resultTTLCheck()
        checks.append(resultTTL.check)
        checks.append(graceBudget(rotation: rotation.configuration, verifier: verifier.configuration, resultTTL: resultTTL.seconds))
        checks.append(rotationInterval(description, grace: grace))
        return DoctorReport(secretId: secretId, checks: checks)
    }

    private func rotationSchedule(_ description: SecretDescription, grace: Int) -> DoctorReport.Check {
        let schedule = description.rotationRules.map(Self.schedule) ?? "no schedule"
        guard description.rotationEnabled == true, let function = description.rotationLambdaARN, !function.isEmpty else {
            return .init(name: "rotation", status: .problem, finding: "rotation is off (\(schedule)): the value never changes.",
                         fix: "aws secretsmanager rotate-secret --secret-id \(secretId) --rotation-lambda-arn ROTATION_FUNCTION_ARN --rotation-rules '\(Self.rulesJSON(Self.safeSchedule(grace: grace)))'")
        }
        return .init(name: "rotation", status: .ok, finding: "enabled, \(schedule), by \(function).", fix: nil)
    }

    /// The rotation rules doctor suggests: `rate(30 days)`, or longer when the grace period needs it. The
    /// suggestion passes doctor's own interval check (`RotationInterval` reads it like any other rules).
    static func safeSchedule(grace: Int) -> RotationRules {
        let days = max(30, grace / RotationInterval.day + 2)
        return RotationRules(scheduleExpression: "rate(\(days) days)")
    }

    static func rulesJSON(_ rules: RotationRules) -> String {
        "{\"ScheduleExpression\":\"\(rules.scheduleExpression ?? "")\"}"
    }

    /// The AWSCURRENT value (and an AWSPENDING one outside it) is a JSON object with a non-empty string under
    /// the key: otherwise verifiers cannot accept it and rotations fail on it.
    private func secretValues(_ description: SecretDescription, _ secrets: SecretsManagerClient) async throws -> DoctorReport.Check {
        var problems: [String] = []
        var stages: [(StagingLabel, String)] = description.version(withStage: .current).map { [(.current, $0)] } ?? []
        if let pending = description.version(withStage: .pending), pending != description.version(withStage: .current) { stages.append((.pending, pending)) }
        for (stage, version) in stages {
            do {
                switch try await secrets.lookUpKey(secretKeyName, secretId: secretId, versionId: version, stage: stage) {
                case .value(let found, _) where found.isEmpty: problems.append("its \(stage.rawValue) version \(version) holds an empty string under \(secretKeyName)")
                case .value: break
                case .noValue: if stage == .current { problems.append("its AWSCURRENT version \(version) holds no SecretString") }
                case .missingKey: problems.append("its \(stage.rawValue) version \(version) has no string under \(secretKeyName)")
                }
            } catch let error as RotationError where error.code == .invalidSecret {
                problems.append("its \(stage.rawValue) version \(version) is not a JSON object")
            }
        }
        if description.version(withStage: .current) == nil { problems.append("it has no AWSCURRENT version") }
        guard problems.isEmpty else {
            return .init(name: "secret", status: .problem,
                         finding: "secret \(secretId): " + problems.joined(separator: "; ") + ": verifiers cannot accept that value and rotations fail on it.",
                         fix: "check --secret-key-name (the Lambdas' SECRET_KEY_NAME), or store the value the origins send as {\"\(secretKeyName)\": \"<value>\"}: aws secretsmanager put-secret-value --secret-id \(secretId) --secret-string file://secret.json")
        }
        return .init(name: "secret", status: .ok, finding: "\(stages.map(\.0.rawValue).joined(separator: " and ")) \(stages.count == 1 ? "is a JSON object" : "are JSON objects") with a string under \(secretKeyName).", fix: nil)
    }

    private func pending(_ description: SecretDescription, _ secrets: SecretsManagerClient) async throws -> DoctorReport.Check {
        guard let pending = description.version(withStage: .pending), pending != description.version(withStage: .current) else {
            return .init(name: "pending", status: .ok, finding: "no AWSPENDING version outside AWSCURRENT.", fix: nil)
        }
        // ListSecretVersionIds knows the creation time even before createSecret stored a value.
        var created: Date?
        for try await page in secrets.listSecretVersionIds(secretId: secretId) {
            if let version = page.first(where: { $0.versionId == pending }) {
                created = version.createdDate
                break
            }
        }
        let age = created.map { Date().timeIntervalSince($0) }
        // Secrets Manager retries a failed rotation with the same token (and the same AWSPENDING version)
        // within the rotation window: until the window has passed, an old AWSPENDING may be a rotation it is retrying.
        let horizon = pendingStuckAfter ?? Self.retryHorizon(description.rotationRules)
        if let age, age < horizon {
            return .init(name: "pending", status: .ok,
                         finding: "a rotation is under way or being retried by Secrets Manager: AWSPENDING on version \(pending), \(Int(age)) s old; stuck if it is still there after \(Int(horizon)) s.", fix: nil)
        }
        return .init(name: "pending", status: .problem,
                     finding: "AWSPENDING is stuck on version \(pending)\(age.map { ", \(Int($0 / 60)) min old" } ?? ""), which is not AWSCURRENT, longer than Secrets Manager retries a rotation (\(Int(horizon)) s): every later rotation fails until it is finished or removed.",
                     fix: "keyrotator origin rotate --secret-id \(secretId) (resumes it), or aws secretsmanager update-secret-version-stage --secret-id \(secretId) --version-stage AWSPENDING --remove-from-version-id \(pending)")
    }

    /// How long an AWSPENDING outside AWSCURRENT may be a rotation Secrets Manager is still running or
    /// retrying: a Lambda invocation's 15 minutes, or the rotation window when it is longer (`Duration`;
    /// without one, an hour for a schedule that starts more than once a day, a day otherwise).
    static func retryHorizon(_ rules: RotationRules?) -> TimeInterval {
        var window = RotationInterval.day
        if let hours = rules?.duration.flatMap(RotationInterval.hours(inDuration:)) {
            window = hours * RotationInterval.hour
        } else if let expression = rules?.scheduleExpression, RotationInterval.startsMoreThanOnceADay(expression) {
            window = RotationInterval.hour
        }
        return max(stuckAfter, TimeInterval(window))
    }

    private func distributions() async throws -> DoctorReport.Check {
        guard !distributionIds.isEmpty else {
            return .init(name: "distributions", status: .skipped, finding: "no --distribution-id (or CLOUDFRONT_DISTRIBUTION_ID) given.", fix: nil)
        }
        let status = try await StatusInspector(client: client, secretId: secretId, secretKeyName: secretKeyName,
                                               distributionIds: distributionIds, headerName: headerName).report()
        guard !status.drift.isEmpty else {
            return .init(name: "distributions", status: .ok,
                         finding: "every origin of \(distributionIds.joined(separator: ", ")) sends \(headerName) with the current or pending value.", fix: nil)
        }
        return .init(name: "distributions", status: .problem, finding: status.drift.map(\.message).joined(separator: " "),
                     fix: "keyrotator origin rotate --secret-id \(secretId) --distribution-id \(distributionIds.joined(separator: ",")) (setSecret writes the new value to every origin of these distributions)")
    }

    private func rotationFunctionCheck(_ description: SecretDescription) async throws -> (check: DoctorReport.Check, configuration: CloudFrontRotationConfiguration?) {
        guard let name = rotationFunction ?? description.rotationLambdaARN.flatMap({ $0.isEmpty ? nil : $0 }) else {
            return (.init(name: "rotation-function", status: .skipped, finding: "no --rotation-function and the secret names none.", fix: nil), nil)
        }
        let function = try await functionConfiguration(name)
        let configuration: CloudFrontRotationConfiguration
        do {
            configuration = try CloudFrontRotationConfiguration(environment: function.variables)
        } catch {
            return (.init(name: "rotation-function", status: .problem, finding: "\(function.functionName) cannot start: \(error.message)",
                          fix: "aws lambda update-function-configuration --function-name \(function.functionName) --environment ..."), nil)
        }
        var environmentProblems: [String] = []
        if configuration.secretKeyName != secretKeyName { environmentProblems.append("SECRET_KEY_NAME is \(configuration.secretKeyName), the secret's key is \(secretKeyName)") }
        if configuration.headerName.lowercased() != headerName.lowercased() { environmentProblems.append("HEADER_NAME is \(configuration.headerName), the origins use \(headerName)") }
        let missing = distributionIds.filter { !configuration.distributionIds.contains($0) }
        if !missing.isEmpty { environmentProblems.append("CLOUDFRONT_DISTRIBUTION_ID lacks \(missing.joined(separator: ",")): their origins would keep the old value") }
        let wait = Int(((configuration.verifierCacheTTL + configuration.verifierWaitMargin) / .seconds(1)).rounded(.up))
        let needed = wait + 60
        let shortTimeout = function.timeout.flatMap { $0 < needed ? $0 : nil }
        let problems = environmentProblems + (shortTimeout.map {
            ["its timeout, \($0) s, is shorter than setSecret's wait for the verifiers (\(wait) s) plus a minute for CloudFront: setSecret fails every time"]
        } ?? [])
        guard problems.isEmpty else {
            var fix = "aws lambda update-function-configuration --function-name \(function.functionName)"
            if shortTimeout != nil { fix += " --timeout \(max(needed, 120))" }
            if !environmentProblems.isEmpty { fix += " --environment (SECRET_KEY_NAME, HEADER_NAME, CLOUDFRONT_DISTRIBUTION_ID as above)" }
            return (.init(name: "rotation-function", status: .problem, finding: "\(function.functionName): " + problems.joined(separator: "; ") + ".", fix: fix), configuration)
        }
        return (.init(name: "rotation-function", status: .ok,
                      finding: "\(function.functionName): timeout \(function.timeout.map { "\($0) s" } ?? "default"), environment agrees with the secret and the distributions.", fix: nil),
                configuration)
    }

    private func authorizerFunctionCheck() async throws -> (check: DoctorReport.Check, configuration: OriginVerifier.Configuration?) {
        guard let authorizerFunction else {
            return (.init(name: "authorizer-function", status: .skipped, finding: "no --authorizer-function given: the grace budget assumes its defaults (CACHE_TTL_SECONDS 60, PREVIOUS_GRACE_SECONDS 1800).", fix: nil), nil)
        }
        let function = try await functionConfiguration(authorizerFunction)
        do {
            let configuration = try OriginVerifier.Configuration.fromEnvironment(function.variables)
            var problems: [String] = []
            if configuration.secretKeyName != secretKeyName { problems.append("SECRET_KEY_NAME is \(configuration.secretKeyName), the secret's key is \(secretKeyName)") }
            if configuration.headerName != headerName.lowercased() { problems.append("HEADER_NAME is \(configuration.headerName), the origins send \(headerName)") }
            guard problems.isEmpty else {
                return (.init(name: "authorizer-function", status: .problem, finding: "\(function.functionName): " + problems.joined(separator: "; ") + ": it refuses every request.",
                              fix: "aws lambda update-function-configuration --function-name \(function.functionName) --environment (SECRET_KEY_NAME, HEADER_NAME as above)"), configuration)
            }
            return (.init(name: "authorizer-function", status: .ok, finding: "\(function.functionName): reads \(configuration.secretId), cache TTL \(Int(Self.seconds(configuration.cacheTTL))) s, grace \(Int(Self.seconds(configuration.previousGracePeriod))) s.", fix: nil), configuration)
        } catch {
            return (.init(name: "authorizer-function", status: .problem, finding: "\(function.functionName) cannot start: \(error)",
                          fix: "aws lambda update-function-configuration --function-name \(function.functionName) --environment ..."), nil)
        }
    }

    private func resultTTLCheck() async throws -> (check: DoctorReport.Check, seconds: Int) {
        guard restApiId != nil || httpApiId != nil else {
            return (.init(name: "authorizer-result-ttl", status: .skipped, finding: "no --rest-api-id or --http-api-id given: the grace budget assumes API Gateway's default result TTL, 300 s.", fix: nil), 300)
        }
        var found: [(api: String, ttl: Int)] = []
        var missing: [(api: String, fix: String)] = []
        if let restApiId {
            var authorizers: [Authorizer] = []
            for try await page in APIGatewayClient(client: client).getAuthorizers(restApiId: restApiId) { authorizers += page }
            let ours = authorizers.filter { invokesOurFunction($0.authorizerUri) }
            if let longest = ours.map({ $0.authorizerResultTtlInSeconds ?? 300 }).max() {
                found.append(("REST API \(restApiId)", longest))
            } else {
                missing.append(("REST API \(restApiId)",
                                "aws apigateway create-authorizer --rest-api-id \(restApiId) --type REQUEST --identity-source method.request.header.\(headerName) ..."))
            }
        }
        if let httpApiId {
            var authorizers: [HTTPAPIAuthorizer] = []
            for try await page in APIGatewayV2Client(client: client).getAuthorizers(apiId: httpApiId) { authorizers += page }
            let ours = authorizers.filter { $0.authorizerType == "REQUEST" && invokesOurFunction($0.authorizerUri) }
            // An HTTP API reports the TTL it uses; a missing one is read as the REST default, 300, which errs long.
            if let longest = ours.map({ $0.authorizerResultTtlInSeconds ?? 300 }).max() {
                found.append(("HTTP API \(httpApiId)", longest))
            } else {
                missing.append(("HTTP API \(httpApiId)",
                                "aws apigatewayv2 create-authorizer --api-id \(httpApiId) --authorizer-type REQUEST --identity-source '$request.header.\(headerName)' --authorizer-payload-format-version 2.0 ..."))
            }
        }
        let longest = found.map(\.ttl).max() ?? 300
        guard missing.isEmpty else {
            let names = missing.map(\.api).joined(separator: " and ")
            return (.init(name: "authorizer-result-ttl", status: .problem,
                          finding: "\(names) \(missing.count == 1 ? "has" : "have") no Lambda authorizer\(authorizerFunction.map { " invoking \($0)" } ?? ""): nothing checks the header.",
                          fix: missing.map(\.fix).joined(separator: "; ")), longest)
        }
        let text = found.map { "\($0.api): Lambda authorizer results cached for up to \($0.ttl) s" }.joined(separator: "; ")
        return (.init(name: "authorizer-result-ttl", status: .ok, finding: text + ".", fix: nil), longest)
    }

    /// A Lambda authorizer's URI, and with --authorizer-function, one invoking that function.
    private func invokesOurFunction(_ uri: String?) -> Bool {
        guard let uri, uri.contains(":lambda:path/") else { return false }
        guard let authorizerFunction else { return true }
        return uri.contains(":function:\(Self.functionName(authorizerFunction))/") || uri.contains(":function:\(Self.functionName(authorizerFunction)):")
    }

    private func graceBudget(rotation: CloudFrontRotationConfiguration?, verifier: OriginVerifier.Configuration?, resultTTL: Int) -> DoctorReport.Check {
        let verifierTTL = Int(Self.seconds(verifier?.cacheTTL ?? .seconds(60)))
        let grace = Int(Self.seconds(verifier?.previousGracePeriod ?? .seconds(1800)))
        let needed = Self.propagationBudget + resultTTL + verifierTTL
        var problems: [String] = []
        var fixes: [String] = []
        if grace < needed {
            problems.append("AWSPREVIOUS is accepted for \(grace) s, less than CloudFront propagation (\(Self.propagationBudget) s) + the result TTL (\(resultTTL) s) + the verifier's TTL (\(verifierTTL) s) = \(needed) s: edges still sending the old value are refused")
            fixes.append("set the authorizer's PREVIOUS_GRACE_SECONDS to at least \(needed)")
        }
        if let rotation, Int(Self.seconds(rotation.verifierCacheTTL)) < verifierTTL {
            problems.append("the rotation function's VERIFIER_CACHE_TTL_SECONDS (\(Int(Self.seconds(rotation.verifierCacheTTL))) s) is shorter than the authorizer's CACHE_TTL_SECONDS (\(verifierTTL) s): an edge may send the new value before a verifier knows it")
            fixes.append("set VERIFIER_CACHE_TTL_SECONDS to \(verifierTTL)")
        }
        guard problems.isEmpty else {
            return .init(name: "grace-budget", status: .problem, finding: problems.joined(separator: "; ") + ".", fix: fixes.joined(separator: "; "))
        }
        return .init(name: "grace-budget", status: .ok,
                     finding: "AWSPREVIOUS accepted for \(grace) s, at least propagation \(Self.propagationBudget) s + result TTL \(resultTTL) s + verifier TTL \(verifierTTL) s = \(needed) s.", fix: nil)
    }

    /// Two rotations closer together than the grace period: the second may start while edges still
    /// send the value the first made AWSPREVIOUS, and the second takes that label away.
    private func rotationInterval(_ description: SecretDescription, grace: Int) -> DoctorReport.Check {
        guard let rules = description.rotationRules else {
            return .init(name: "rotation-interval", status: .skipped, finding: "the secret has no rotation rules.", fix: nil)
        }
        switch RotationInterval(rules) {
        case .unknown(let why):
            return .init(name: "rotation-interval", status: .skipped, finding: "cannot check that rotations are further apart than the grace (\(grace) s): \(why).", fix: nil)
        case .shortest(let seconds, let reason) where seconds <= grace:
            let fix = Self.safeSchedule(grace: grace)
            return .init(name: "rotation-interval", status: .problem,
                         finding: "\(reason), not longer than the grace period (\(grace) s): a rotation may take AWSPREVIOUS from a value edges still send.",
                         fix: "aws secretsmanager rotate-secret --secret-id \(secretId) --rotation-rules '\(Self.rulesJSON(fix))' --no-rotate-immediately")
        case .shortest(_, let reason):
            return .init(name: "rotation-interval", status: .ok, finding: "\(reason), longer than the grace period (\(grace) s).", fix: nil)
        }
    }

    /// GetFunctionConfiguration by name when an ARN names a function of the client's region (the
    /// local emulator rejects the signature of a path holding an escaped ARN), by ARN otherwise.
    private func functionConfiguration(_ nameOrArn: String) async throws -> FunctionConfiguration {
        try await Self.functionConfiguration(nameOrArn, client: client)
    }

    static func functionConfiguration(_ nameOrArn: String, client: AWSClient) async throws -> FunctionConfiguration {
        let parts = nameOrArn.split(separator: ":")
        let sameRegion = parts.count >= 7 && parts[3] == client.region
        return try await LambdaClient(client: client).getFunctionConfiguration(functionName: sameRegion ? functionName(nameOrArn) : nameOrArn)
    }

    static func schedule(_ rules: RotationRules) -> String {
        if let expression = rules.scheduleExpression { return "schedule \(expression)" + (rules.duration.map { ", window \($0)" } ?? "") }
        if let days = rules.automaticallyAfterDays { return "every \(days) days" }
        return "no schedule"
    }

    /// Whole seconds (rounded: `Duration` division is not exact, 100000 s comes out a hair under).
    static func seconds(_ duration: Duration) -> Double { (duration / .seconds(1)).rounded() }

    /// The function name of a name or ARN (`arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`).
    static func functionName(_ nameOrArn: String) -> String {
        let parts = nameOrArn.split(separator: ":")
        guard parts.count >= 7, parts[5] == "function" else { return nameOrArn }
        return String(parts[6])
    }
}
