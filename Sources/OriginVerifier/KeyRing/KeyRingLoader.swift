#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AWSCore
import AWSServices
import KeyMaterial

/// Reads what a key ring is made of from Secrets Manager: one `DescribeSecret` for the labels and dates,
/// then `GetSecretValue` by version id only for versions not read before. A version's value never
/// changes once stored, so a steady state costs one `DescribeSecret` per refresh and no `GetSecretValue`.
struct KeyRingLoader: Sendable {
    let secretsManager: SecretsManagerClient
    let secretId: String
    let keyName: String

    /// The usable key of one version, and when the version was created.
    struct VersionKey: Sendable {
        let key: [UInt8]
        let createdDate: Date?
    }

    /// What was learnt about a version; both outcomes are final because versions are immutable.
    enum VersionState: Sendable {
        case usable(VersionKey)
        case unusable(OriginVerifierError)
    }

    /// One labelled version with a usable key.
    struct Labelled: Sendable {
        let versionId: String
        let key: VersionKey
    }

    /// The secret as Secrets Manager reports it now.
    struct Snapshot: Sendable {
        let current: Labelled
        let pending: Labelled?
        let previous: Labelled?
        let lastChangedDate: Date?
        let lastRotatedDate: Date?
        /// What is known of each labelled version: the cache for the next load.
        let versions: [String: VersionState]
        /// Problems with `AWSPENDING`/`AWSPREVIOUS` versions first seen in this load (they are skipped).
        let newProblems: [OriginVerifierError]
        /// How many `GetSecretValue` calls the load made.
        let valueReads: Int
    }

    /// Loads within `timeout` in all, retries included; past it the load is cancelled and fails with
    /// `refreshTimedOut`, so that a Secrets Manager that accepts connections and never answers cannot
    /// hold a refresh (and the requests waiting on it) past the function's deadline.
    func load(known: [String: VersionState], timeout: Duration) async -> Result<Snapshot, OriginVerifierError> {
        await withTaskGroup(of: Result<Snapshot, OriginVerifierError>?.self) { group in
            group.addTask {
                do throws(OriginVerifierError) { return .success(try await load(known: known)) } catch { return .failure(error) }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return Task.isCancelled ? nil : .failure(.refreshTimedOut(secretId: secretId, after: timeout))
            }
            var outcome: Result<Snapshot, OriginVerifierError> = .failure(.refreshTimedOut(secretId: secretId, after: timeout))
            if let first = await group.next(), let first {
                outcome = first
            }
            group.cancelAll()
            return outcome
        }
    }

    func load(known: [String: VersionState]) async throws(OriginVerifierError) -> Snapshot {
        let description: SecretDescription
        do {
            description = try await secretsManager.describeSecret(secretId: secretId)
        } catch {
            throw .secretsManager(secretId: secretId, reason: "\(error)")
        }
        guard let currentId = description.version(withStage: .current) else {
            throw .noCurrentVersion(secretId: secretId)
        }
        var versions: [String: VersionState] = [:]
        var newProblems: [OriginVerifierError] = []
        var reads = 0

        func resolve(_ versionId: String, _ stage: StagingLabel) async throws(OriginVerifierError) -> VersionState? {
            if let state = known[versionId] {
                versions[versionId] = state
                return state
            }
            reads += 1
            guard let state = try await read(versionId, stage) else { return nil }
            versions[versionId] = state
            if case .unusable(let problem) = state, stage != .current { newProblems.append(problem) }
            return state
        }

        let current: Labelled
        switch try await resolve(currentId, .current) {
        case .usable(let key)?: current = Labelled(versionId: currentId, key: key)
        case .unusable(let problem)?: throw problem
        case nil: throw .noSecretString(secretId: secretId, versionId: currentId, stage: .current)
        }

        var pending: Labelled?
        if let pendingId = description.version(withStage: .pending), pendingId != currentId,
           case .usable(let key)? = try await resolve(pendingId, .pending) {
            pending = Labelled(versionId: pendingId, key: key)
        }
        var previous: Labelled?
        if let previousId = description.version(withStage: .previous), previousId != currentId,
           case .usable(let key)? = try await resolve(previousId, .previous) {
            previous = Labelled(versionId: previousId, key: key)
        }
        return Snapshot(current: current, pending: pending, previous: previous,
                        lastChangedDate: description.lastChangedDate, lastRotatedDate: description.lastRotatedDate,
                        versions: versions, newProblems: newProblems, valueReads: reads)
    }

    /// Reads one version by id (never by label, which may move between the two calls). Nil when the
    /// version has no value yet: `RotateSecret` creates the `AWSPENDING` version before `createSecret` fills it.
    private func read(_ versionId: String, _ stage: StagingLabel) async throws(OriginVerifierError) -> VersionState? {
        let value: SecretValue
        do {
            value = try await secretsManager.getSecretValue(secretId: secretId, versionId: versionId)
        } catch let error as AWSError where error.code == "ResourceNotFoundException" && stage != .current {
            return nil
        } catch {
            throw .secretsManager(secretId: secretId, reason: "\(error)")
        }
        guard let secretString = value.secretString else {
            return .unusable(.noSecretString(secretId: secretId, versionId: versionId, stage: stage))
        }
        guard let document = try? SecretDocument(parsing: secretString) else {
            return .unusable(.notJSON(secretId: secretId, versionId: versionId, stage: stage, keyName: keyName))
        }
        guard let key = document.value(forKey: keyName), !key.isEmpty else {
            return .unusable(.keyMissing(secretId: secretId, versionId: versionId, stage: stage, keyName: keyName))
        }
        return .usable(VersionKey(key: Array(key.utf8), createdDate: value.createdDate))
    }
}
