extension PolicyJSON {
    /// The value written back as JSON the way S3 prints a condition in its messages and Python's
    /// `json.dumps` writes a policy: `", "` between elements, `": "` after keys.
    func rendered(asciiOnly: Bool = false) -> String {
        switch self {
        case .string(let text): return Self.quote(text, asciiOnly: asciiOnly)
        case .number(let literal): return literal
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        case .array(let elements): return "[" + elements.map { $0.rendered(asciiOnly: asciiOnly) }.joined(separator: ", ") + "]"
        case .object(let members):
            let inner = members.map { Self.quote($0.key, asciiOnly: asciiOnly) + ": " + $0.value.rendered(asciiOnly: asciiOnly) }
            return "{" + inner.joined(separator: ", ") + "}"
        }
    }

    /// A JSON string literal. With `asciiOnly`, everything outside ASCII is written `\uXXXX`
    /// (surrogate pairs above U+FFFF), as `json.dumps` does by default.
    static func quote(_ text: String, asciiOnly: Bool) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || (asciiOnly && scalar.value > 0x7E) {
                    for unit in String(scalar).utf16 { out += "\\u" + hex4(unit) }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func hex4(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}
