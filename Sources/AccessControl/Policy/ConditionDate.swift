import MagpieCore

/// ISO 8601 (`2026-01-31`, `2026-01-31T12:00:00Z`, with fractions or an offset) or epoch seconds → epoch seconds,
/// as the `Date*` condition operators compare them. Pure arithmetic, no Foundation formatter.
enum ConditionDate {
    static func parse(_ text: String) -> Double? {
        if let epoch = Double(text), text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) { return epoch }
        let chars = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= chars.count else { return nil }
            var value = 0
            for c in chars[from..<from + count] {
                guard c >= 0x30 && c <= 0x39 else { return nil }
                value = value * 10 + Int(c - 0x30)
            }
            return value
        }
        guard let year = number(0, 4), chars.count >= 10, chars[4] == 0x2D, let month = number(5, 2), chars[7] == 0x2D,
            let day = number(8, 2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var seconds = Double(HTTPDate.days(fromCivil: Int64(year), Int64(month), Int64(day))) * 86400
        guard chars.count > 10 else { return seconds }
        guard chars[10] == 0x54 || chars[10] == 0x74, let hour = number(11, 2), chars.count >= 19, chars[13] == 0x3A,
            let minute = number(14, 2), chars[16] == 0x3A, let second = number(17, 2), hour < 24, minute < 60, second < 61
        else { return nil }
        seconds += Double(hour * 3600 + minute * 60 + second)
        var index = 19
        if index < chars.count, chars[index] == 0x2E {
            index += 1
            var scale = 0.1
            while index < chars.count, chars[index] >= 0x30 && chars[index] <= 0x39 {
                seconds += Double(chars[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
        }
        if index == chars.count { return seconds }
        if chars[index] == 0x5A || chars[index] == 0x7A { return index + 1 == chars.count ? seconds : nil }
        guard chars[index] == 0x2B || chars[index] == 0x2D, let oh = number(index + 1, 2), chars.count == index + 6, chars[index + 3] == 0x3A,
            let om = number(index + 4, 2)
        else { return nil }
        let offset = Double(oh * 3600 + om * 60)
        return chars[index] == 0x2B ? seconds - offset : seconds + offset
    }
}
