/// Date formats S3 speaks, without Foundation formatters: RFC 1123 for headers, ISO 8601 with
/// milliseconds for XML, and parsing of the three HTTP-date forms for conditional headers.
public enum HTTPDate {
    static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Wed, 12 Oct 2009 17:50:00 GMT`
    public static func rfc1123(epochSeconds: Int64) -> String {
        let (days, secs) = floorDivide(epochSeconds, 86_400)
        let (y, m, d) = civil(fromDays: days)
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        return "\(weekday), \(pad(d)) \(months[m - 1]) \(y) \(pad(secs / 3600)):\(pad(secs % 3600 / 60)):\(pad(secs % 60)) GMT"
    }

    /// `2009-10-12T17:50:30.000Z`
    public static func iso8601(epochMillis: Int64) -> String {
        let (seconds, millis) = floorDivide(epochMillis, 1000)
        let (days, secs) = floorDivide(seconds, 86_400)
        let (y, m, d) = civil(fromDays: days)
        let ms = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(y)-\(pad(Int64(m)))-\(pad(Int64(d)))T\(pad(secs / 3600)):\(pad(secs % 3600 / 60)):\(pad(secs % 60)).\(ms)Z"
    }

    /// Parses RFC 1123 (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and
    /// asctime (`Sun Nov  6 08:49:37 1994`). Returns epoch seconds, nil when unparseable.
    public static func parse(_ text: String) -> Int64? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        if parts.count == 6, parts[5] == "GMT" || parts[5] == "UTC" {
            return build(day: parts[1], month: parts[2], year: parts[3], time: parts[4])
        }
        if parts.count == 4, parts[3] == "GMT" {
            let dmy = parts[1].split(separator: "-").map(String.init)
            guard dmy.count == 3, let yy = Int(dmy[2]) else { return nil }
            return build(day: dmy[0], month: dmy[1], year: String(yy < 70 ? 2000 + yy : yy < 100 ? 1900 + yy : yy), time: parts[2])
        }
        if parts.count == 5 { return build(day: parts[2], month: parts[1], year: parts[4], time: parts[3]) }
        return nil
    }

    static func build(day: String, month: String, year: String, time: String) -> Int64? {
        guard let d = Int64(day), let y = Int64(year), let m = months.firstIndex(of: month), (1...31).contains(d) else { return nil }
        let hms = time.split(separator: ":").compactMap { Int64($0) }
        guard hms.count == 3, hms[0] < 24, hms[1] < 60, hms[2] < 61 else { return nil }
        return days(fromCivil: y, Int64(m + 1), d) * 86_400 + hms[0] * 3600 + hms[1] * 60 + hms[2]
    }

    static func pad(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
    static func pad(_ value: Int) -> String { pad(Int64(value)) }

    /// Quotient rounded towards minus infinity, and the non-negative remainder.
    public static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a >= 0 ? a / b : (a - b + 1) / b
        return (q, a - q * b)
    }

    /// Howard Hinnant's days-from-civil / civil-from-days.
    public static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int64, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = Int(doy - (153 * mp + 2) / 5 + 1)
        let m = Int(mp < 10 ? mp + 3 : mp - 9)
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
