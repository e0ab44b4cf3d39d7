/// A JSON value as a POST policy needs it: objects keep their members in order (duplicates
/// included) and numbers keep their literal text, so a policy is judged on exactly what was signed.
public enum PolicyJSON: Sendable, Equatable {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case array([PolicyJSON])
    case object([(key: String, value: PolicyJSON)])

    public struct SyntaxError: Error {}

    public static func == (lhs: PolicyJSON, rhs: PolicyJSON) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)), (.number(let a), .number(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.null, .null): return true
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
        default: return false
        }
    }

    /// Parses strict RFC 8259 JSON (no trailing commas, no comments), nesting at most 32 deep.
    public static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> PolicyJSON {
        var reader = Reader(bytes: bytes)
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.index == bytes.count else { throw SyntaxError() }
        return value
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func value(depth: Int) throws(SyntaxError) -> PolicyJSON {
            skipSpace()
            guard index < bytes.count, depth < 32 else { throw SyntaxError() }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"):
                try literal("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null")
                return .null
            default: return .number(try number())
            }
        }

        mutating func object(depth: Int) throws(SyntaxError) -> PolicyJSON {
            index += 1
            var members: [(key: String, value: PolicyJSON)] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw SyntaxError() }
                let key = try string()
                skipSpace()
                try expect(":")
                members.append((key, try value(depth: depth + 1)))
                skipSpace()
                if try endOrComma("}") { return .object(members) }
            }
        }

        mutating func array(depth: Int) throws(SyntaxError) -> PolicyJSON {
            index += 1
            var elements: [PolicyJSON] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            while true {
                elements.append(try value(depth: depth + 1))
                skipSpace()
                if try endOrComma("]") { return .array(elements) }
            }
        }

        mutating func endOrComma(_ close: Unicode.Scalar) throws(SyntaxError) -> Bool {
            guard index < bytes.count else { throw SyntaxError() }
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: close) { return true }
            guard byte == UInt8(ascii: ",") else { throw SyntaxError() }
            return false
        }

        mutating func expect(_ scalar: Unicode.Scalar) throws(SyntaxError) {
            guard index < bytes.count, bytes[index] == UInt8(ascii: scalar) else { throw SyntaxError() }
            index += 1
        }

        mutating func literal(_ text: String) throws(SyntaxError) {
            let expected = Array(text.utf8)
            guard bytes.count - index >= expected.count, Array(bytes[index..<index + expected.count]) == expected else {
                throw SyntaxError()
            }
            index += expected.count
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, returned as written.
        mutating func number() throws(SyntaxError) -> String {
            let start = index
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw SyntaxError() }
            if bytes[index] == UInt8(ascii: "0") { index += 1 } else { digits() }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard index < bytes.count, isDigit(bytes[index]) else { throw SyntaxError() }
                digits()
            }
            if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard index < bytes.count, isDigit(bytes[index]) else { throw SyntaxError() }
                digits()
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        private mutating func digits() { while index < bytes.count, isDigit(bytes[index]) { index += 1 } }

        mutating func string() throws(SyntaxError) -> String {
            var reader = PolicyJSONString(bytes: bytes, index: index)
            let text = try reader.read()
            index = reader.index
            return text
        }
    }
}
