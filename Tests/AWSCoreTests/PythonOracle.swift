import Foundation
import Testing

/// Runs one of the repository's botocore oracle scripts with the project venv's python: JSON in
/// on stdin, JSON out on stdout.
enum PythonOracle {
    static func run<Input: Encodable, Output: Decodable>(_ script: String, input: Input, as output: Output.Type,
                                                         environment: [String: String]? = nil) throws -> Output {
        let root = RepositoryRoot.path
        let python = root + "/.venv/bin/python"
        try #require(FileManager.default.isExecutableFile(atPath: python), "run scripts/setup-tools.sh to install botocore into .venv")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [root + "/scripts/" + script]
        if let environment { process.environment = environment }
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        // The oracles read all of their input before they write: write, close, then read.
        stdin.fileHandleForWriting.write(try JSONEncoder().encode(input))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(script) failed")
        return try JSONDecoder().decode(Output.self, from: data)
    }
}
