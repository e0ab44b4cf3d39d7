/// One stable string per transformation: the result-cache key and ETag input.
///
/// Fields come in a fixed order, only when they differ from the default, in an imgproxy-like
/// `name:arg:arg` form joined by `/`. Numbers print without trailing zeros (`300`, `0.5`), colours
/// as lower-case hex, and free text (cache buster, filename, watermark key) percent-encoded, so
/// the string is unambiguous. Two URLs with the same effect, from either grammar, give the same
/// string; it is not itself a valid imgproxy URL and is never parsed back.
extension ImageOptions {
    public var canonical: String {
        var fields: [String] = []
        func add(_ name: String, _ args: String?...) { fields.append(([name] + args.compactMap { $0 }).joined(separator: ":")) }
        let number = CanonicalFormat.number

        if resizingType != .fit { add("rt", resizingType.rawValue) }
        if width != 0 { add("w", "\(width)") }
        if height != 0 { add("h", "\(height)") }
        if minWidth != 0 { add("mw", "\(minWidth)") }
        if minHeight != 0 { add("mh", "\(minHeight)") }
        if enlarge { add("el", "1") }
        if let extend { add("ex", extend.canonical) }
        if dpr != 1 { add("dpr", number(dpr)) }
        if zoomX != 1 || zoomY != 1 { add("z", number(zoomX), number(zoomY)) }
        if gravity != .center { add("g", gravity.canonical) }
        if let crop { add("c", number(crop.width), number(crop.height), crop.gravity?.canonical) }
        if let trim {
            add("t", number(trim.threshold), trim.color?.canonical ?? "", trim.equalHorizontal ? "1" : "0", trim.equalVertical ? "1" : "0")
        }
        if let padding { add("pd", "\(padding.top)", "\(padding.right)", "\(padding.bottom)", "\(padding.left)") }
        if !autoRotate { add("ar", "0") }
        if rotate != 0 { add("rot", "\(rotate)") }
        if flipHorizontal || flipVertical { add("fl", flipHorizontal ? "1" : "0", flipVertical ? "1" : "0") }
        if let background { add("bg", background.canonical) }
        if blur != 0 { add("bl", number(blur)) }
        if sharpen != 0 { add("sh", number(sharpen)) }
        if pixelate != 0 { add("pix", "\(pixelate)") }
        if quality != 0 { add("q", "\(quality)") }
        if !formatQuality.isEmpty {
            add("fq", formatQuality.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue):\($0.value)" }.joined(separator: ":"))
        }
        if let format { add("f", format.canonical) }
        if progressive { add("prog", "1") }
        if let watermark {
            let position = watermark.tile ? "re" : watermark.position.type.rawValue
            add(
                "wm", number(watermark.opacity), position, number(watermark.position.x), number(watermark.position.y),
                number(watermark.scale), watermark.source.map { ImageSource.object($0).canonical }
            )
        }
        if !stripMetadata { add("sm", "0") }
        if let cacheBuster { add("cb", URLCoding.percentEncode(cacheBuster)) }
        if let filename { add("fn", URLCoding.percentEncode(filename)) }
        if attachment { add("att", "1") }
        if let expires { add("exp", "\(expires)") }
        return fields.joined(separator: "/")
    }
}

extension ImageSource {
    /// `s3://bucket/key[?versionId=…]` with bucket, key and version percent-encoded (the key keeps
    /// its `/`), or `url:` and the percent-encoded remote URL.
    public var canonical: String {
        switch self {
        case .object(let reference):
            let base =
                "s3://" + URLCoding.percentEncode(reference.bucket) + "/"
                + URLCoding.percentEncode(reference.key, keeping: [UInt8(ascii: "/")])
            return reference.versionId.map { base + "?versionId=" + URLCoding.percentEncode($0) } ?? base
        case .remote(let url):
            return "url:" + URLCoding.percentEncode(url)
        }
    }
}

extension Gravity {
    /// `type`, plus `:x:y` when an offset is set (always for a focus point).
    var canonical: String {
        let number = CanonicalFormat.number
        if type == .focusPoint || x != 0 || y != 0 { return "\(type.rawValue):\(number(x)):\(number(y))" }
        return type.rawValue
    }
}

extension RGBColor {
    /// `rrggbb`, plus `:alpha` when not opaque.
    var canonical: String { alpha == 1 ? hex : hex + ":" + CanonicalFormat.number(alpha) }
}

extension FormatRequest {
    var canonical: String {
        switch self {
        case .auto: "auto"
        case .fixed(let format): format.rawValue
        case .json: "json"
        }
    }
}

enum CanonicalFormat {
    /// Whole numbers without a fraction (`300`, not `300.0`); others in Swift's shortest
    /// round-trip form (`0.5`), which is the same on every platform. `-0` prints as `0`.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }
}
