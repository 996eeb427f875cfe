#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
/// The AWS shared config (`~/.aws/config`) and credentials (`~/.aws/credentials`) files.
///
/// In the config file profiles are `[default]` and `[profile NAME]`; in the credentials file they
/// are `[NAME]`. A key in the credentials file wins over the same key in the config file.
public struct SharedConfig: Sendable, Equatable {
    /// Profile name -> key -> value, merged from both files.
    public var profiles: [String: [String: String]]
    /// The profiles of the config file alone (`[default]`, `[profile NAME]`).
    public var configFileProfiles: [String: [String: String]]
    /// The profiles of the credentials file alone (`[NAME]`).
    public var credentialsFileProfiles: [String: [String: String]]
    /// The config file's `[sso-session NAME]` sections.
    public var ssoSessions: [String: [String: String]]
    /// Files that were read (existing ones only).
    public var filesRead: [String]
    /// The config file's path, whether or not it exists (for messages).
    public var configFilePath: String?
    /// The credentials file's path, whether or not it exists (for messages).
    public var credentialsFilePath: String?

    public init(profiles: [String: [String: String]] = [:], configFileProfiles: [String: [String: String]] = [:],
                credentialsFileProfiles: [String: [String: String]] = [:], ssoSessions: [String: [String: String]] = [:],
                filesRead: [String] = [], configFilePath: String? = nil, credentialsFilePath: String? = nil) {
        self.profiles = profiles
        self.configFileProfiles = configFileProfiles
        self.credentialsFileProfiles = credentialsFileProfiles
        self.ssoSessions = ssoSessions
        self.filesRead = filesRead
        self.configFilePath = configFilePath
        self.credentialsFilePath = credentialsFilePath
    }

    /// The named profile's settings, or nil when neither file defines it.
    public func profile(_ name: String) -> [String: String]? { profiles[name] }

    static func load(configFile: String?, credentialsFile: String?) throws(AWSConfigurationError) -> SharedConfig {
        var result = SharedConfig(configFilePath: configFile, credentialsFilePath: credentialsFile)
        if let configFile, let text = readFile(configFile) {
            result.filesRead.append(configFile)
            for section in try parse(text, path: configFile, isConfigFile: true) {
                switch section.kind {
                case .profile:
                    result.configFileProfiles[section.name, default: [:]].merge(section.values) { _, new in new }
                    result.profiles[section.name, default: [:]].merge(section.values) { _, new in new }
                case .ssoSession:
                    result.ssoSessions[section.name, default: [:]].merge(section.values) { _, new in new }
                }
            }
        }
        if let credentialsFile, let text = readFile(credentialsFile) {
            result.filesRead.append(credentialsFile)
            for section in try parse(text, path: credentialsFile, isConfigFile: false) where section.kind == .profile {
                result.credentialsFileProfiles[section.name, default: [:]].merge(section.values) { _, new in new }
                result.profiles[section.name, default: [:]].merge(section.values) { _, new in new }
            }
        }
        return result
    }

    /// One `[...]` section of a file: a profile or an `sso-session`.
    struct Section {
        enum Kind { case profile, ssoSession }
        var kind: Kind
        var name: String
        var values: [String: String]
    }

    private static func readFile(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Parses the INI dialect the AWS CLI writes: `#`/`;` comments, `key = value`, and indented
    /// continuation lines (nested sections such as `s3 =`), which are kept out of the flat map.
    static func parse(_ text: String, path: String, isConfigFile: Bool) throws(AWSConfigurationError) -> [Section] {
        var sections: [Section] = []
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
                var kind = Section.Kind.profile
                if isConfigFile {
                    if inner == "default" {
                        name = "default"
                    } else if inner.hasPrefix("profile ") || inner.hasPrefix("profile\t") {
                        name = inner.dropFirst("profile".count).trimmingWhitespace()
                    } else if inner.hasPrefix("sso-session ") || inner.hasPrefix("sso-session\t") {
                        name = inner.dropFirst("sso-session".count).trimmingWhitespace()
                        kind = .ssoSession
                    } else {
                        name = nil  // [services x] and other sections: not profiles
                    }
                }
                if let name, !name.isEmpty {
                    if let existing = sections.firstIndex(where: { $0.name == name && $0.kind == kind }) {
                        current = existing
                    } else {
                        sections.append(Section(kind: kind, name: name, values: [:]))
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
            if !value.isEmpty { sections[current].values[key] = value }
        }
        return sections
    }
}
