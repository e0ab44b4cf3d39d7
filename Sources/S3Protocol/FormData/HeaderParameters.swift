/// Splits a header value of the form `type; name=value; name="quoted value"` (RFC 9110 §5.6.6,
/// RFC 2183 §2), as `Content-Type` and `Content-Disposition` carry it.
enum HeaderParameters {
    /// The lowercased type and the parameters under lowercased names (the first of a repeated name
    /// wins). Inside quotes, `\"` and `\\` are unescaped; any other backslash is kept, because
    /// browsers send Windows paths such as `C:\dir\a.txt` raw.
    static func parse(_ value: String) -> (type: String, parameters: [String: String]) {
        let bytes = Array(value.utf8)
        var index = 0
        while index < bytes.count, bytes[index] != UInt8(ascii: ";") { index += 1 }
        let type = AuthText.trim(String(decoding: bytes[0..<index], as: UTF8.self)).lowercased()
        var parameters: [String: String] = [:]
        while index < bytes.count {
            index += 1  // the `;`
            let nameStart = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "="), bytes[index] != UInt8(ascii: ";") { index += 1 }
            let name = AuthText.trim(String(decoding: bytes[nameStart..<index], as: UTF8.self)).lowercased()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { continue }
            index += 1
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
            let parameterValue: String
            if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                parameterValue = quoted(bytes, &index)
                while index < bytes.count, bytes[index] != UInt8(ascii: ";") { index += 1 }
            } else {
                let valueStart = index
                while index < bytes.count, bytes[index] != UInt8(ascii: ";") { index += 1 }
                parameterValue = AuthText.trim(String(decoding: bytes[valueStart..<index], as: UTF8.self))
            }
            if !name.isEmpty, parameters[name] == nil { parameters[name] = parameterValue }
        }
        return (type, parameters)
    }

    /// Reads a quoted-string starting at the opening quote; leaves `index` after the closing one.
    private static func quoted(_ bytes: [UInt8], _ index: inout Int) -> String {
        var out: [UInt8] = []
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\"), index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "\\") {
                out.append(bytes[index])
                index += 1
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
