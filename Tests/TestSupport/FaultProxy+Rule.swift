import NIOHTTP1
extension FaultProxy {
    /// A predicate on requests.
    public struct Match: Sendable {
        private let test: @Sendable (Request) -> Bool

        public init(_ test: @escaping @Sendable (Request) -> Bool) {
            self.test = test
        }

        public func callAsFunction(_ request: Request) -> Bool { test(request) }

        /// Every request.
        public static let any = Match { _ in true }

        /// Requests whose `X-Amz-Target` is `target` (`secretsmanager.GetSecretValue`) or ends with `.target`
        /// (`GetSecretValue`).
        public static func target(_ target: String) -> Match {
            Match { request in
                guard let value = request.target else { return false }
                return value == target || value.hasSuffix("." + target)
            }
        }

        /// Requests with this method.
        public static func method(_ method: String) -> Match {
            Match { $0.method.rawValue == method.uppercased() }
        }

        /// Requests whose path starts with `prefix`.
        public static func pathPrefix(_ prefix: String) -> Match {
            Match { $0.path.hasPrefix(prefix) }
        }

        /// Requests carrying header `name`, with `value` when given.
        public static func header(_ name: String, _ value: String? = nil) -> Match {
            Match { request in
                let values = request.headers[name]
                guard let value else { return !values.isEmpty }
                return values.contains(value)
            }
        }

        public static func && (lhs: Match, rhs: Match) -> Match { Match { lhs($0) && rhs($0) } }
        public static func || (lhs: Match, rhs: Match) -> Match { Match { lhs($0) || rhs($0) } }
        public static prefix func ! (match: Match) -> Match { Match { !match($0) } }
    }

    /// Which of a rule's matching requests it acts on.
    public enum Schedule: Sendable, Equatable {
        /// Every matching request.
        case always
        /// The n-th, 2n-th, ... matching request.
        case everyNth(Int)
        /// Each matching request with `probability`, drawn from a generator seeded with `seed`
        /// (the same seed gives the same sequence of decisions).
        case random(probability: Double, seed: UInt64)
    }

    /// A fault to inject: what to do (`action`) with which requests (`match`, `schedule`), how many times (`limit`).
    public struct Rule: Sendable {
        public var name: String
        public var match: Match
        public var schedule: Schedule
        /// Stop acting after this many times; nil for no limit.
        public var limit: Int?
        public var action: Action

        public init(_ name: String, when match: Match = .any, schedule: Schedule = .always, limit: Int? = nil, action: Action) {
            self.name = name
            self.match = match
            self.schedule = schedule
            self.limit = limit
            self.action = action
        }
    }

    /// A rule with its counters.
    struct ActiveRule {
        var rule: Rule
        var matched = 0
        var fired = 0
        var random: SplitMix64?

        init(_ rule: Rule) {
            self.rule = rule
            if case .random(_, let seed) = rule.schedule { random = SplitMix64(seed: seed) }
        }

        /// Counts a matching request and says whether the rule acts on it.
        mutating func fires(on request: Request) -> Bool {
            guard rule.match(request) else { return false }
            if let limit = rule.limit, fired >= limit { return false }
            matched += 1
            let fires: Bool = switch rule.schedule {
            case .always: true
            case .everyNth(let n): n > 0 && matched % n == 0
            case .random(let probability, _): random.map { generator in
                var generator = generator
                let draw = Double(generator.next() >> 11) / Double(1 << 53)
                self.random = generator
                return draw < probability
            } ?? false
            }
            if fires { fired += 1 }
            return fires
        }
    }
}
