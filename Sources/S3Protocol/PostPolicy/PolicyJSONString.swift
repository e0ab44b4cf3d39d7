import MagpieCore

/// Reads one JSON string (RFC 8259 §7): escapes, `\uXXXX` with surrogate pairs, valid UTF-8 only.
struct PolicyJSONString {
    let bytes: [UInt8]
    var index: Int

    /// Reads from the opening quote at `index` to just past the closing one.
    mutating func read() throws(PolicyJSON.SyntaxError) -> String {
        index += 1
        var out: [UInt8] = []
        while true {
            guard index < bytes.count else { throw PolicyJSON.SyntaxError() }
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: out, as: UTF8.self) else { throw PolicyJSON.SyntaxError() }
                return text
            case UInt8(ascii: "\\"):
                try escape(into: &out)
            case 0x00..<0x20:
                throw PolicyJSON.SyntaxError()
            default:
                out.append(byte)
            }
        }
    }

    private mutating func escape(into out: inout [UInt8]) throws(PolicyJSON.SyntaxError) {
        guard index < bytes.count else { throw PolicyJSON.SyntaxError() }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar) {
                guard bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw PolicyJSON.SyntaxError()
                }
                index += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw PolicyJSON.SyntaxError() }
                scalar = 0x10000 + (scalar - 0xD800) << 10 + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw PolicyJSON.SyntaxError() }
            out.append(contentsOf: Array(String(Character(unicode)).utf8))
        default:
            throw PolicyJSON.SyntaxError()
        }
    }

    private mutating func hex4() throws(PolicyJSON.SyntaxError) -> UInt32 {
        guard bytes.count - index >= 4 else { throw PolicyJSON.SyntaxError() }
        var value: UInt32 = 0
        for byte in bytes[index..<index + 4] {
            guard let digit = Hex.value(byte) else { throw PolicyJSON.SyntaxError() }
            value = value << 4 | UInt32(digit)
        }
        index += 4
        return value
    }
}
