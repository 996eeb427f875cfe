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

    func run() async throws -> DoctorReport {
        let secrets = SecretsManagerClient(client: client)
        let description = try await secrets.describeSecret(secretId: secretId)
        var checks = [rotationSchedule(description), try await pending(description, secrets)]
        checks.append(try await distributions())
        let rotation = try await rotationFunctionCheck(description)
        checks.append(rotation.check)
        let verifier = try await authorizerFunctionCheck()
        checks.append(verifier.check)
        let resultTTL = try await resultTTLCheck()
        checks.append(resultTTL.check)
        checks.append(graceBudget(description, rotation: rotation.configuration, verifier: verifier.configuration, resultTTL: resultTTL.seconds))
        return DoctorReport(secretId: secretId, checks: checks)
    }

    private func rotationSchedule(_ description: SecretDescription) -> DoctorReport.Check {
        let schedule = description.rotationRules.map(Self.schedule) ?? "no schedule"
        guard description.rotationEnabled == true, let function = description.rotationLambdaARN, !function.isEmpty else {
            return .init(name: "rotation", status: .problem, finding: "rotation is off (\(schedule)): the value never changes.",
                         fix: "aws secretsmanager rotate-secret --secret-id \(secretId) --rotation-lambda-arn ROTATION_FUNCTION_ARN --rotation-rules '{\"ScheduleExpression\":\"rate(30 days)\"}'")
        }
        return .init(name: "rotation", status: .ok, finding: "enabled, \(schedule), by \(function).", fix: nil)
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
        if let age, age < Self.stuckAfter {
            return .init(name: "pending", status: .ok, finding: "a rotation is under way: AWSPENDING on version \(pending), \(Int(age)) s old.", fix: nil)
        }
        return .init(name: "pending", status: .problem,
                     finding: "AWSPENDING is stuck on version \(pending)\(age.map { ", \(Int($0 / 60)) min old" } ?? ""), which is not AWSCURRENT: every later rotation fails until it is finished or removed.",
                     fix: "keyrotator origin rotate --secret-id \(secretId) (resumes it), or aws secretsmanager update-secret-version-stage --secret-id \(secretId) --version-stage AWSPENDING --remove-from-version-id \(pending)")
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
        guard let restApiId else {
            return (.init(name: "authorizer-result-ttl", status: .skipped, finding: "no --rest-api-id given: the grace budget assumes API Gateway's default result TTL, 300 s.", fix: nil), 300)
        }
        var authorizers: [Authorizer] = []
        for try await page in APIGatewayClient(client: client).getAuthorizers(restApiId: restApiId) { authorizers += page }
        let lambdaAuthorizers = authorizers.filter { $0.authorizerUri?.contains(":lambda:path/") == true }
        let ours = lambdaAuthorizers.filter { uri in authorizerFunction.map { uri.authorizerUri?.contains(":function:\(Self.functionName($0))") == true } ?? true }
        guard let longest = ours.map({ $0.authorizerResultTtlInSeconds ?? 300 }).max() else {
            return (.init(name: "authorizer-result-ttl", status: .problem, finding: "REST API \(restApiId) has no Lambda authorizer\(authorizerFunction.map { " invoking \($0)" } ?? ""): nothing checks the header.",
                          fix: "aws apigateway create-authorizer --rest-api-id \(restApiId) --type REQUEST --identity-source method.request.header.\(headerName) ..."), 300)
        }
        return (.init(name: "authorizer-result-ttl", status: .ok, finding: "REST API \(restApiId): Lambda authorizer results cached for up to \(longest) s.", fix: nil), longest)
    }

    private func graceBudget(_ description: SecretDescription, rotation: CloudFrontRotationConfiguration?, verifier: OriginVerifier.Configuration?, resultTTL: Int) -> DoctorReport.Check {
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
        if let days = description.rotationRules?.automaticallyAfterDays, days * 86_400 <= grace {
            problems.append("rotations every \(days) days are closer together than the grace period (\(grace) s)")
            fixes.append("rotate less often than the grace period")
        }
        guard problems.isEmpty else {
            return .init(name: "grace-budget", status: .problem, finding: problems.joined(separator: "; ") + ".", fix: fixes.joined(separator: "; "))
        }
        return .init(name: "grace-budget", status: .ok,
                     finding: "AWSPREVIOUS accepted for \(grace) s, at least propagation \(Self.propagationBudget) s + result TTL \(resultTTL) s + verifier TTL \(verifierTTL) s = \(needed) s.", fix: nil)
    }

    /// GetFunctionConfiguration by name when an ARN names a function of the client's region (the
    /// local emulator rejects the signature of a path holding an escaped ARN), by ARN otherwise.
    private func functionConfiguration(_ nameOrArn: String) async throws -> FunctionConfiguration {
        let parts = nameOrArn.split(separator: ":")
        let sameRegion = parts.count >= 7 && parts[3] == client.region
        return try await LambdaClient(client: client).getFunctionConfiguration(functionName: sameRegion ? Self.functionName(nameOrArn) : nameOrArn)
    }

    static func schedule(_ rules: RotationRules) -> String {
        if let expression = rules.scheduleExpression { return "schedule \(expression)" + (rules.duration.map { ", window \($0)" } ?? "") }
        if let days = rules.automaticallyAfterDays { return "every \(days) days" }
        return "no schedule"
    }

    static func seconds(_ duration: Duration) -> Double { duration / .seconds(1) }

    /// The function name of a name or ARN (`arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`).
    static func functionName(_ nameOrArn: String) -> String {
        let parts = nameOrArn.split(separator: ":")
        guard parts.count >= 7, parts[5] == "function" else { return nameOrArn }
        return String(parts[6])
    }
}
