import AWSCore
import Foundation
import LocalEmulator
import Subprocess
import SystemPackage
import Testing
import TestSupport

@Suite("keyrotator errors and help", .timeLimit(.minutes(5)))
struct CLIErrorTests {
    @Test("no region anywhere: one line naming AWS_REGION, exit 3")
    func missingRegion() async throws {
        let environment = ["HOME": try CLIProcess.emptyHome(), "PATH": "/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "true"]
        let result = try await CLIProcess.run(["origin", "status", "--secret-id", "s"], environment: environment)
        #expect(result.exitCode == 3, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("keyrotator: error: No AWS region is configured: set AWS_REGION"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test("unknown secret: 'secret S not found in REGION', exit 3, for every command")
    func unknownSecret() async throws {
        let moto = try await MotoServer.shared()
        let environment = try CLIProcess.motoEnvironment(moto)
        let name = "kr-missing-\(UUID().uuidString.prefix(8))"
        for arguments in [["origin", "status", "--secret-id", name], ["origin", "rotate", "--secret-id", name],
                          ["origin", "probe", "--secret-id", name, "--origin-url", "http://127.0.0.1:9/"]] {
            let result = try await CLIProcess.run(arguments + ["--json"], environment: environment)
            #expect(result.exitCode == 3, "\(result)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == "keyrotator: error: secret \(name) not found in \(moto.region): check --secret-id and AWS_REGION / AWS_PROFILE.\n")
        }
    }

    @Test("unknown distribution is named, exit 3")
    func unknownDistribution() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1)
        let result = try await CLIProcess.run(["origin", "status", "--secret-id", scenario.secretName, "--distribution-id", "E0000000000000"],
                                              environment: try CLIProcess.motoEnvironment(moto))
        #expect(result.exitCode == 3, "\(result)")
        #expect(result.stderr == "keyrotator: error: distribution E0000000000000 not found: check --distribution-id (or CLOUDFRONT_DISTRIBUTION_ID).\n")
    }

    @Test("access denied names the action to grant, exit 3")
    func accessDenied() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1)
        let (keyId, secretKey) = try await RestrictedUser.create(moto, allowing: ["secretsmanager:GetSecretValue"])
        var environment = try CLIProcess.motoEnvironment(moto)
        environment["AWS_ACCESS_KEY_ID"] = keyId
        environment["AWS_SECRET_ACCESS_KEY"] = secretKey
        let result = try await CLIProcess.run(["origin", "status", "--secret-id", scenario.secretName], environment: environment)
        #expect(result.exitCode == 3, "\(result)")
        #expect(result.stderr.hasPrefix("keyrotator: error: access denied: the caller is not allowed secretsmanager:DescribeSecret;"), "\(result)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test("--help explains each command, --json and the exit codes")
    func help() async throws {
        let environment = ["HOME": try CLIProcess.emptyHome(), "PATH": "/usr/bin:/bin"]
        for command in ["status", "rotate", "probe"] {
            let result = try await CLIProcess.run(["origin", command, "--help"], environment: environment)
            #expect(result.exitCode == 0, "\(result)")
            #expect(result.stdout.contains("Exit codes:"))
            #expect(result.stdout.contains("--json"))
            #expect(result.stdout.contains("3  AWS or configuration error"))
        }
        let unknown = try await CLIProcess.run(["origin", "status", "--secret-id", "s", "--no-such-option"], environment: environment)
        #expect(unknown.exitCode == 2, "\(unknown)")
    }
}

/// An IAM user with only `actions`, created through boto3 as the harness user (which may do iam:*).
enum RestrictedUser {
    static func create(_ moto: MotoServer, allowing actions: [String]) async throws -> (String, String) {
        let script = """
        import boto3, json, sys, uuid
        iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name=sys.argv[2], aws_access_key_id=sys.argv[3], aws_secret_access_key=sys.argv[4])
        name = "kr-restricted-" + uuid.uuid4().hex[:8]
        iam.create_user(UserName=name)
        policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": json.loads(sys.argv[5]), "Resource": "*"}]}
        iam.put_user_policy(UserName=name, PolicyName="only", PolicyDocument=json.dumps(policy))
        key = iam.create_access_key(UserName=name)["AccessKey"]
        print(json.dumps([key["AccessKeyId"], key["SecretAccessKey"]]))
        """
        let actionsJSON = String(decoding: try JSONEncoder().encode(actions), as: UTF8.self)
        let result = try await Subprocess.run(
            .path(FilePath(moto.python.path)),
            arguments: ["-c", script, moto.endpoint, moto.region, moto.accessKeyId, moto.secretAccessKey, actionsJSON],
            environment: .custom(["PATH": "/usr/bin:/bin", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"]),
            output: .bytes(limit: 1 << 20), error: .currentStandardError
        )
        guard result.terminationStatus.isSuccess,
              let pair = try JSONSerialization.jsonObject(with: Data(result.standardOutput)) as? [String], pair.count == 2 else {
            throw CLIProcess.CLIProcessError("creating a restricted IAM user failed (\(result.terminationStatus))")
        }
        return (pair[0], pair[1])
    }
}
