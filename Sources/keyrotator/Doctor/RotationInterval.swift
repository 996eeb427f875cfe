import AWSServices
import Foundation

/// The shortest time a secret's rotation rules allow between two rotations, as Secrets Manager
/// schedules them: a rotation may happen anywhere in its window (`Duration`; without one, an hour
/// for an hourly schedule and the rest of the UTC day for a daily one), so two rotations can be
/// as close as the gap between two window starts minus the window.
enum RotationInterval: Equatable {
    /// The shortest interval in seconds, and how it was found.
    case shortest(seconds: Int, reason: String)
    /// The rules cannot be checked; the reason says why.
    case unknown(String)

    static let hour = 3600
    static let day = 86_400

    init(_ rules: RotationRules) {
        let window = rules.duration.flatMap(Self.hours(inDuration:)).map { $0 * Self.hour }
        if let expression = rules.scheduleExpression?.trimmingCharacters(in: .whitespaces), !expression.isEmpty {
            if expression.hasPrefix("rate(") && expression.hasSuffix(")") {
                self = Self.rate(String(expression.dropFirst(5).dropLast()), window: window, expression: expression)
            } else if expression.hasPrefix("cron(") && expression.hasSuffix(")") {
                self = Self.cron(String(expression.dropFirst(5).dropLast()), window: window, expression: expression)
            } else {
                self = .unknown("\(expression) is neither rate(...) nor cron(...)")
            }
        } else if let days = rules.automaticallyAfterDays {
            self = Self.fromGap(days * Self.day, window: window ?? Self.day, what: "every \(days) days")
        } else {
            self = .unknown("the rotation rules hold no schedule")
        }
    }

    /// `rate(N hours)` or `rate(N days)` (Secrets Manager accepts nothing shorter than 4 hours).
    private static func rate(_ body: String, window: Int?, expression: String) -> RotationInterval {
        let parts = body.split(separator: " ")
        guard parts.count == 2, let n = Int(parts[0]), n > 0 else { return .unknown("\(expression) is not rate(N hours) or rate(N days)") }
        switch parts[1] {
        case "hour", "hours": return fromGap(n * hour, window: window ?? hour, what: expression)
        case "day", "days": return fromGap(n * day, window: window ?? day, what: expression)
        default: return .unknown("\(expression): Secrets Manager rates are in hours or days")
        }
    }

    private static func fromGap(_ gap: Int, window: Int, what: String) -> RotationInterval {
        let shortest = max(0, gap - min(window, gap))
        return .shortest(seconds: shortest, reason: "\(what), a window of \(window / hour) h: two rotations may be \(shortest) s apart")
    }

    /// `cron(minutes hours day-of-month month day-of-week year)`, UTC. The fire times of the next
    /// two years are enumerated; the window of one must end before the next may start.
    private static func cron(_ body: String, window: Int?, expression: String) -> RotationInterval {
        let fields = body.split(separator: " ").map(String.init)
        guard fields.count == 6 else { return .unknown("\(expression) does not have the 6 fields minutes hours day-of-month month day-of-week year") }
        // L and W in day-of-month, L and # in day-of-week (whose names, such as WED, are read below).
        let special = fields[2].contains { $0 == "L" || $0 == "W" } ? (3, fields[2])
            : (fields[4].contains("#") || fields[4].hasSuffix("L")) ? (5, fields[4]) : nil
        if let special {
            return .unknown("\(expression): field \(special.0) (\(special.1)) uses L, W or #, which doctor does not evaluate; check by hand that two rotations are further apart than the grace")
        }
        guard fields[5] == "*" || fields[5] == "?" else {
            return .unknown("\(expression) names years: it stops rotating once they are past, so its interval is not a property of the rules")
        }
        guard let minutes = CronField(fields[0], range: 0...59), let hours = CronField(fields[1], range: 0...23),
              let daysOfMonth = CronField(fields[2], range: 1...31), let months = CronField(fields[3], range: 1...12, names: CronField.monthNames),
              let daysOfWeek = CronField(fields[4], range: 1...7, names: CronField.dayNames) else {
            return .unknown("\(expression) has a field doctor cannot read")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        // A fixed start makes the answer the same on every run; two years cover every month and weekday alignment that matters.
        guard let start = calendar.date(from: DateComponents(year: 2028, month: 1, day: 1)) else { return .unknown("no calendar") }
        var fires: [Int] = []
        for dayOffset in 0..<(2 * 366) {
            guard let date = calendar.date(byAdding: .day, value: dayOffset, to: start) else { continue }
            let c = calendar.dateComponents([.day, .month, .weekday], from: date)
            guard let day = c.day, let month = c.month, let weekday = c.weekday, months.values.contains(month) else { continue }
            // EventBridge: one of day-of-month and day-of-week is "?"; a "*" in one defers to the other.
            let domAny = fields[2] == "?" || fields[2] == "*", dowAny = fields[4] == "?" || fields[4] == "*"
            let dayMatches = (domAny || daysOfMonth.values.contains(day)) && (dowAny || daysOfWeek.values.contains(weekday))
            guard dayMatches else { continue }
            let base = Int(date.timeIntervalSince1970)
            for hour in hours.values.sorted() { for minute in minutes.values.sorted() { fires.append(base + hour * Self.hour + minute * 60) } }
        }
        guard fires.count >= 2 else { return .unknown("\(expression) fires less than twice in two years") }
        let firesPerDay = Dictionary(grouping: fires, by: { $0 / day }).values.map(\.count).max() ?? 1
        var shortest = Int.max
        for (a, b) in zip(fires, fires.dropFirst()) {
            // Without a Duration the window closes after an hour (several starts a day) or at the end of the UTC day.
            let windowEnd = a + (window ?? (firesPerDay > 1 ? hour : (a / day + 1) * day - a))
            shortest = min(shortest, max(0, b - min(windowEnd, b)))
        }
        let windowText = window.map { "a window of \($0 / hour) h" } ?? (firesPerDay > 1 ? "a window of 1 h" : "a window to the end of the UTC day")
        return .shortest(seconds: shortest, reason: "\(expression), \(windowText): two rotations may be \(shortest) s apart")
    }

    /// `rate(N hours)`, or a cron expression whose minutes and hours fields name more than one time of day.
    static func startsMoreThanOnceADay(_ expression: String) -> Bool {
        if expression.hasPrefix("rate(") { return expression.contains("hour") }
        guard expression.hasPrefix("cron("), expression.hasSuffix(")") else { return false }
        let fields = expression.dropFirst(5).dropLast().split(separator: " ").map(String.init)
        guard fields.count == 6, let minutes = CronField(fields[0], range: 0...59), let hours = CronField(fields[1], range: 0...23) else { return false }
        return minutes.values.count * hours.values.count > 1
    }

    /// `Duration` is `Nh` (1 to 24 hours).
    static func hours(inDuration duration: String) -> Int? {
        guard duration.hasSuffix("h"), let hours = Int(duration.dropLast()), hours > 0 else { return nil }
        return hours
    }
}

/// One field of a cron expression: `*`, `?`, values, ranges, steps and names, comma-separated.
struct CronField {
    static let monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    /// EventBridge numbers the days of the week from 1, Sunday (as Foundation's `weekday`).
    static let dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

    let values: Set<Int>

    init?(_ text: String, range: ClosedRange<Int>, names: [String] = []) {
        var values = Set<Int>()
        func value(_ token: Substring) -> Int? {
            if let n = Int(token) { return range.contains(n) ? n : nil }
            return names.firstIndex(of: token.uppercased()).map { $0 + range.lowerBound }
        }
        for part in text.split(separator: ",") {
            let stepParts = part.split(separator: "/", omittingEmptySubsequences: false)
            guard stepParts.count <= 2 else { return nil }
            let step = stepParts.count == 2 ? Int(stepParts[1]) : 1
            guard let step, step > 0 else { return nil }
            let bounds: ClosedRange<Int>
            if stepParts[0] == "*" || stepParts[0] == "?" {
                bounds = range
            } else if let dash = stepParts[0].firstIndex(of: "-") {
                guard let low = value(stepParts[0][..<dash]), let high = value(stepParts[0][stepParts[0].index(after: dash)...]), low <= high else { return nil }
                bounds = low...high
            } else {
                guard let single = value(stepParts[0]) else { return nil }
                bounds = single...(stepParts.count == 2 ? range.upperBound : single)
            }
            values.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        guard !values.isEmpty else { return nil }
        self.values = values
    }
}
