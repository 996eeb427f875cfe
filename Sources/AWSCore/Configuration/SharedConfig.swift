/// The AWS shared config (`~/.aws/config`) and credentials (`~/.aws/credentials`) files.
///
/// In the config file profiles are `[default]` and `[profile NAME]`; in the credentials file they
/// are `[NAME]`. A key in the credentials file wins over the same key in the config file.
public struct SharedConfig: Sendable, Equatable {
    /// Profile name -> key -> value, merged from both files.
    public var profiles: [String: [String: String]]
    /// Files that were read (existing ones only).
    public var filesRead: [String]

    public init(profiles: [String: [String: String]] = [:], filesRead: [String] = []) {
        self.profiles = profiles
        self.filesRead = filesRead
    }

    /// The named profile's settings, or nil when neither file defines it.
    public func profile(_ name: String) -> [String: String]? { profiles[name] }

    static func load(configFile: String?, credentialsFile: String?) throws(AWSConfigurationError) -> SharedConfig {
        var result = SharedConfig()
        if let configFile, let text = readFile(configFile) {
            result.filesRead.append(configFile)
            for (name, values) in try parse(text, path: configFile, isConfigFile: true) {
                result.profiles[name, default: [:]].merge(values) { _, new in new }
            }
        }
        if let credentialsFile, let text = readFile(credentialsFile) {
            result.filesRead.append(credentialsFile)
            for (name, values) in try parse(text, path: credentialsFile, isConfigFile: false) {
                result.profiles[name, default: [:]].merge(values) { _, new in new }
            }
        }
        return result
    }

    private static func readFile(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Parses the INI dialect the AWS CLI writes: `#`/`;` comments, `key = value`, and indented
    /// continuation lines (nested sections such as `s3 =`), which are kept out of the flat map.
    static func parse(_ text: String, path: String, isConfigFile: Bool) throws(AWSConfigurationError) -> [(String, [String: String])] {
        var sections: [(String, [String: String])] = []
        var current: Int? = nil
        var lastKeyWasNested = false
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            let isIndented = line.first == " " || line.first == "\t"
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]") else {
                    throw .malformedFile(path, line: lineNumber, reason: "section header is missing its closing ']'")
                }
                let inner = trimmed.dropFirst().dropLast().trimmingWhitespace()
                var name: String? = inner
                if isConfigFile {
                    if inner == "default" {
                        name = "default"
                    } else if inner.hasPrefix("profile ") || inner.hasPrefix("profile\t") {
                        name = inner.dropFirst("profile".count).trimmingWhitespace()
                    } else {
                        name = nil  // [sso-session x], [services x]: not profiles
                    }
                }
                if let name, !name.isEmpty {
                    if let existing = sections.firstIndex(where: { $0.0 == name }) {
                        current = existing
                    } else {
                        sections.append((name, [:]))
                        current = sections.count - 1
                    }
                } else {
                    current = nil
                }
                lastKeyWasNested = false
                continue
            }
            if isIndented {
                // Continuation of a nested block (e.g. `s3 =` sub-keys): not a top-level setting.
                if lastKeyWasNested || current == nil { continue }
                throw .malformedFile(path, line: lineNumber, reason: "unexpected indented line")
            }
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw .malformedFile(path, line: lineNumber, reason: "expected 'key = value'")
            }
            let key = trimmed[..<equals].trimmingWhitespace().lowercased()
            var value = trimmed[trimmed.index(after: equals)...].trimmingWhitespace()
            // An inline comment needs whitespace before '#' or ';'.
            for marker in [" #", "\t#", " ;", "\t;"] {
                if let range = value.firstRange(of: marker) {
                    value = String(value[..<range.lowerBound]).trimmingWhitespace()
                }
            }
            lastKeyWasNested = value.isEmpty
            guard let current else { continue }
            if !value.isEmpty { sections[current].1[key] = value }
        }
        return sections
    }
}
