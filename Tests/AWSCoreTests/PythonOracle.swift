import Foundation
import Subprocess
import SystemPackage
import Testing

/// Runs one of the repository's botocore oracle scripts with the project venv's python: JSON in
/// on stdin, JSON out on stdout. swift-subprocess does the I/O asynchronously, so no thread of the
/// cooperative pool blocks on the child.
enum PythonOracle {
    /// The most an oracle may print.
    static let outputLimit = 64 << 20

    static func run<Input: Encodable, Output: Decodable>(_ script: String, input: Input, as output: Output.Type,
                                                         environment: [String: String]? = nil) async throws -> Output {
        let root = RepositoryRoot.path
        let python = root + "/.venv/bin/python"
        try #require(FileManager.default.isExecutableFile(atPath: python), "run scripts/setup-tools.sh to install botocore into .venv")
        let childEnvironment: Subprocess.Environment = environment.map { variables in
            .custom(Dictionary(uniqueKeysWithValues: variables.compactMap { name, value in
                Subprocess.Environment.Key(rawValue: name).map { ($0, value) }
            }))
        } ?? .inherit
        // The oracles read all of their input before they write.
        let result = try await Subprocess.run(
            .path(FilePath(python)), arguments: [root + "/scripts/" + script], environment: childEnvironment,
            input: .array(Array(try JSONEncoder().encode(input))), output: .bytes(limit: outputLimit), error: .currentStandardError
        )
        try #require(result.terminationStatus.isSuccess, "\(script) failed: \(result.terminationStatus)")
        return try JSONDecoder().decode(Output.self, from: Data(result.standardOutput))
    }
}
