/// The imgproxy processing options Magpie understands, by their long name, with every alias.
enum ImgproxyOption: String, CaseIterable {
    case resize, size
    case resizingType = "resizing_type"
    case width, height
    case minWidth = "min-width"
    case minHeight = "min-height"
    case zoom, dpr, enlarge, extend, gravity, crop, trim, padding
    case autoRotate = "auto_rotate"
    case rotate, flip, background, blur, sharpen, pixelate, quality
    case formatQuality = "format_quality"
    case format, watermark
    case watermarkURL = "watermark_url"
    case stripMetadata = "strip_metadata"
    case cacheBuster = "cachebuster"
    case filename
    case returnAttachment = "return_attachment"
    case expires, preset
    case jpegOptions = "jpeg_options"

    /// Short names, as in imgproxy's `applyURLOption` switch.
    static let aliases: [String: ImgproxyOption] = [
        "rs": .resize, "s": .size, "rt": .resizingType, "w": .width, "h": .height, "mw": .minWidth, "mh": .minHeight,
        "z": .zoom, "el": .enlarge, "ex": .extend, "g": .gravity, "c": .crop, "t": .trim, "pd": .padding,
        "ar": .autoRotate, "rot": .rotate, "fl": .flip, "bg": .background, "bl": .blur, "sh": .sharpen, "pix": .pixelate,
        "q": .quality, "fq": .formatQuality, "f": .format, "ext": .format, "wm": .watermark, "wmu": .watermarkURL,
        "sm": .stripMetadata, "cb": .cacheBuster, "fn": .filename, "att": .returnAttachment, "exp": .expires,
        "pr": .preset, "jpgo": .jpegOptions,
    ]

    init?(name: String) {
        guard let option = ImgproxyOption(rawValue: name) ?? Self.aliases[name] else { return nil }
        self = option
    }

    /// How many arguments the option takes (imgproxy's `ensureMaxArgs`, at least one always).
    var arity: ClosedRange<Int> {
        switch self {
        case .resize: 1...8
        case .size: 1...7
        case .zoom, .flip, .filename: 1...2
        case .extend, .trim, .padding: 1...4
        case .crop, .watermark: 1...5
        case .jpegOptions: 1...6
        case .gravity, .formatQuality, .preset, .background: 1...Int.max
        default: 1...1
        }
    }
}

extension ImageFormat {
    /// imgproxy's format names (`jpeg` is an alias of `jpg`).
    init?(name: String) {
        if name == "jpeg" {
            self = .jpeg
        } else {
            self.init(rawValue: name)
        }
    }
}
