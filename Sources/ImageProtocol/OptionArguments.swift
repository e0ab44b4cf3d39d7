import MagpieCore

/// Parsers for single option arguments, shared by both grammars. Each names the option in its
/// error so the client can find the mistake.
enum OptionArguments {
    /// Decimal integer with an optional sign, as Go's `strconv.Atoi` reads it.
    static func int(_ text: String, _ option: String) throws(ImageURLError) -> Int {
        guard let value = Int(text) else { throw .invalidOption(option, "expected an integer, got \(quoted(text))") }
        return value
    }

    static func int(_ text: String, _ option: String, in range: ClosedRange<Int>) throws(ImageURLError) -> Int {
        let value = try int(text, option)
        guard range.contains(value) else {
            throw .invalidOption(option, "expected \(range.lowerBound)…\(range.upperBound), got \(quoted(text))")
        }
        return value
    }

    static func nonNegativeInt(_ text: String, _ option: String) throws(ImageURLError) -> Int {
        let value = try int(text, option)
        guard value >= 0 else { throw .invalidOption(option, "expected a positive number or 0, got \(quoted(text))") }
        return value
    }

    /// A finite decimal number (no `inf`, no `nan`).
    static func double(_ text: String, _ option: String) throws(ImageURLError) -> Double {
        guard let value = Double(text), value.isFinite, !text.isEmpty else {
            throw .invalidOption(option, "expected a number, got \(quoted(text))")
        }
        return value
    }

    static func nonNegativeDouble(_ text: String, _ option: String) throws(ImageURLError) -> Double {
        let value = try double(text, option)
        guard value >= 0 else { throw .invalidOption(option, "expected a positive number or 0, got \(quoted(text))") }
        return value
    }

    static func positiveDouble(_ text: String, _ option: String) throws(ImageURLError) -> Double {
        let value = try double(text, option)
        guard value > 0 else { throw .invalidOption(option, "expected a positive number, got \(quoted(text))") }
        return value
    }

    static func fraction(_ text: String, _ option: String) throws(ImageURLError) -> Double {
        let value = try double(text, option)
        guard (0...1).contains(value) else { throw .invalidOption(option, "expected 0…1, got \(quoted(text))") }
        return value
    }

    /// The spellings Go's `strconv.ParseBool` accepts (imgproxy's booleans).
    ///
    /// imgproxy logs a warning and reads any other value as false; Magpie refuses it instead, so a
    /// typo such as `enlarge:yes` is reported rather than silently ignored.
    static func bool(_ text: String, _ option: String) throws(ImageURLError) -> Bool {
        switch text {
        case "1", "t", "T", "true", "TRUE", "True": return true
        case "0", "f", "F", "false", "FALSE", "False": return false
        default: throw .invalidOption(option, "expected 1, t, true, 0, f or false, got \(quoted(text))")
        }
    }

    /// `rgb` or `rrggbb` hex (imgproxy's `RGBFromHex`), opaque.
    static func hexColor(_ text: String, _ option: String) throws(ImageURLError) -> RGBColor {
        guard let color = RGBColor(hex: text), text.utf8.count != 4, text.utf8.count != 8 else {
            throw .invalidOption(option, "expected a hex colour (rgb or rrggbb), got \(quoted(text))")
        }
        return color
    }

    static func quoted(_ text: String) -> String {
        "'\(ImageURLError.clip(text, limit: 32))'"
    }
}

extension RGBColor {
    /// Hex digits in 3 (`rgb`), 4 (`argb`), 6 (`rrggbb`) or 8 (`aarrggbb`) form; the alpha-first
    /// order is imgix's. nil for anything else.
    init?(hex text: String) {
        var digits: [UInt8] = []
        for byte in text.utf8 {
            guard let digit = Hex.value(byte) else { return nil }
            digits.append(digit)
        }
        let channels: [UInt8]
        switch digits.count {
        case 3, 4: channels = digits.map { $0 << 4 | $0 }
        case 6, 8: channels = stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
        default: return nil
        }
        let hasAlpha = channels.count == 4
        let alpha = hasAlpha ? Double(channels[0]) / 255 : 1
        let rgb = hasAlpha ? Array(channels.dropFirst()) : channels
        self.init(red: rgb[0], green: rgb[1], blue: rgb[2], alpha: alpha)
    }
}
