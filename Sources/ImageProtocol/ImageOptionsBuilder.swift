/// Options being assembled from a URL, applied left to right (later wins), with presets expanded
/// in place. Both grammars build through it so a preset means the same in each.
struct ImageOptionsBuilder {
    /// Presets nest (a preset may name another); a cycle is skipped as imgproxy skips it, and a
    /// chain deeper than this is refused so a bad configuration cannot make one URL expensive.
    static let maxPresetDepth = 8

    var options = ImageOptions()
    /// `watermark_url`: kept apart because it may come before or after `watermark`.
    var watermarkSource: ObjectReference?
    /// Every preset applied, in order, including nested ones and `default`.
    var usedPresets: [String] = []
    let presets: [String: [String]]

    init(presets: [String: [String]]) {
        self.presets = presets
    }

    /// Applies the `default` preset when the configuration has one (imgproxy does it first).
    mutating func applyDefaultPreset() throws(ImageURLError) {
        if presets["default"] != nil {
            try applyPresets(["default"], stack: [])
        }
    }

    /// Expands presets by name; each is a list of imgproxy option strings (`rs:fill:300:200`,
    /// or several joined with `/`).
    mutating func applyPresets(_ names: [String], stack: [String]) throws(ImageURLError) {
        for name in names {
            guard let definition = presets[name] else { throw .unknownPreset(name) }
            if stack.contains(name) { continue }
            guard stack.count < Self.maxPresetDepth else {
                throw .invalidOption("preset", "presets nest deeper than \(Self.maxPresetDepth) levels")
            }
            usedPresets.append(name)
            for segment in definition.flatMap({ $0.split(separator: "/") }) {
                let parts = segment.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                guard parts.count > 1 else { throw .invalidOption("preset", "preset \(name) has an option without arguments") }
                try applyImgproxyOption(parts[0], Array(parts.dropFirst()), stack: stack + [name])
            }
        }
    }

    /// The finished options, normalised so that spellings with the same effect compare equal
    /// (`c:0:0` is no crop, a crop gravity equal to the main one is the
    /// same as none, `pd:0` is no padding, `wm:0` no watermark).
    func build() -> ImageOptions {
        var result = options
        if let crop = result.crop, crop.width == 0, crop.height == 0 { result.crop = nil }
        if result.crop?.gravity == result.gravity { result.crop?.gravity = nil }
        if result.padding == Padding(top: 0, right: 0, bottom: 0, left: 0) { result.padding = nil }
        if let watermark = result.watermark, watermark.opacity == 0 { result.watermark = nil }
        if watermarkSource != nil { result.watermark?.source = watermarkSource }
        return result
    }
}
