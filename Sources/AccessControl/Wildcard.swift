/// Glob matching as IAM does it: `*` matches any run of characters (including none), `?` exactly one.
/// Works on UTF-8 bytes without allocating (a `?` consumes one whole character; backtracking only
/// restarts at character boundaries), iterative with one backtrack point, so a hostile pattern costs
/// O(pattern × text), never exponential. `caseInsensitive` folds ASCII letters (header names, actions).
public enum Wildcard {
    public static func matches(_ pattern: String, _ text: String, caseInsensitive: Bool = false) -> Bool {
        var pattern = pattern, text = text
        return pattern.withUTF8 { p in text.withUTF8 { t in matches(p, t, caseInsensitive: caseInsensitive) } }
    }

    public static func matches(_ p: UnsafeBufferPointer<UInt8>, _ t: UnsafeBufferPointer<UInt8>, caseInsensitive: Bool = false) -> Bool {
        let star = UInt8(ascii: "*"), question = UInt8(ascii: "?")
        @inline(__always) func fold(_ byte: UInt8) -> UInt8 {
            caseInsensitive && byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
        }
        @inline(__always) func characterLength(at index: Int) -> Int {
            let lead = t[index]
            let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            return min(length, t.count - index)
        }
        var pi = 0, ti = 0, starAt = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == question {
                pi += 1
                ti += characterLength(at: ti)
            } else if pi < p.count, p[pi] != star, fold(p[pi]) == fold(t[ti]) {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == star {
                starAt = pi
                mark = ti
                pi += 1
            } else if starAt >= 0 {
                pi = starAt + 1
                mark += characterLength(at: mark)
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == star { pi += 1 }
        return pi == p.count
    }

    /// True when `pattern` contains `*` or `?`.
    public static func isPattern(_ pattern: String) -> Bool { pattern.utf8.contains { $0 == 0x2A || $0 == 0x3F } }
}
