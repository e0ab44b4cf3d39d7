/// imgix's rendering parameters (docs.imgix.com, "Rendering API") mapped onto `ImageOptions`.
///
/// imgix parameters are unordered, so they apply in a fixed order: `preset` first (expanded in
/// the imgproxy grammar), then every other parameter given overrides what the preset set.
/// Mappings where imgix has no exact counterpart:
///
/// - `fit`: clip → fit + enlarge; max → fit; min → fill-down; crop → fill + enlarge;
///   scale → force + enlarge; fill → fit + enlarge + centred extend; fillmax → fit + centred
///   extend. Without `fit` the imgix default `clip` applies, unless a preset is named (then the
///   preset decides). `clamp` and `facearea` are refused.
/// - `crop`: focalpoint (with `fp-x`, `fp-y`) > entropy/edges (both libvips entropy) > edges
///   (top/bottom/left/right, combined into a compass gravity). `faces` is refused. `fp-z` > 1
///   crops the central 1/z of the source around the focal point before resizing.
/// - `ar` (`16:9`) only acts with `fit=crop` and exactly one of `w`/`h`: it derives the other.
/// - `blur` 0–2000 → Gaussian sigma blur/20; `sharp` 0–100 → sharpen sigma sharp/20.
/// - `auto=compress` sets quality 45 (imgix's documented default for compress) unless `q` is
///   given, and strips metadata (as imgix does, even over a preset's `sm:0`); `auto=format` asks for negotiation unless `fm` is given; `enhance` and `redeye` are
///   accepted and ignored.
/// - `w`/`h` are whole pixels; imgix's fractional sizes (0 < w < 1) are refused.
extension ImageOptionsBuilder {
    mutating func applyImgix(_ parameters: ImgixParameters) throws(ImageURLError) {
        typealias Arg = OptionArguments
        if let list = parameters["preset"] {
            let names = list.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard !names.contains(where: \.isEmpty) else { throw .invalidOption("preset", "empty preset name") }
            try applyPresets(names, stack: [])
        }
        if let width = parameters["w"] { options.width = try Arg.nonNegativeInt(width, "w") }
        if let height = parameters["h"] { options.height = try Arg.nonNegativeInt(height, "h") }
        if let fit = parameters["fit"] {
            try applyFit(fit)
        } else if parameters["preset"] == nil {
            try applyFit("clip")
        }
        if let ratio = parameters["ar"] { try applyAspectRatio(ratio, fit: parameters["fit"]) }
        try applyImgixCrop(parameters)
        if let rect = parameters["rect"] { try applyRect(rect) }
        if let dpr = parameters["dpr"] {
            options.dpr = try Arg.positiveDouble(dpr, "dpr")
            guard options.dpr <= 5 else { throw .invalidOption("dpr", "must not exceed 5") }
        }
        if let quality = parameters["q"] { options.quality = try Arg.int(quality, "q", in: 0...100) }
        try applyFormat(parameters)
        if let background = parameters["bg"] {
            guard let color = RGBColor(hex: background) else {
                throw .invalidOption("bg", "expected 3, 4, 6 or 8 hex digits, got \(Arg.quoted(background))")
            }
            options.background = color
        }
        try applyImgixPadding(parameters)
        if let blur = parameters["blur"] { options.blur = Double(try Arg.int(blur, "blur", in: 0...2000)) / 20 }
        if let sharp = parameters["sharp"] { options.sharpen = Double(try Arg.int(sharp, "sharp", in: 0...100)) / 20 }
        if let pixelate = parameters["px"] { options.pixelate = try Arg.int(pixelate, "px", in: 0...100) }
        if let rotate = parameters["rot"] { options.rotate = try Arg.int(rotate, "rot", in: 0...359) }
        if let flip = parameters["flip"] {
            guard ["h", "v", "hv", "vh"].contains(flip) else { throw .invalidOption("flip", "expected h, v or hv") }
            options.flipHorizontal = flip.contains("h")
            options.flipVertical = flip.contains("v")
        }
        if let download = parameters["dl"] {
            options.attachment = true
            options.filename = download.isEmpty ? nil : download
        }
        if let expires = parameters["expires"] {
            let timestamp = try Arg.int(expires, "expires")
            options.expires = timestamp > 0 ? timestamp : nil
        }
        if let cacheBuster = parameters["cb"] { options.cacheBuster = cacheBuster.isEmpty ? nil : cacheBuster }
    }

    private mutating func applyFit(_ fit: String) throws(ImageURLError) {
        let mapping: (ResizingType, enlarge: Bool, extend: Bool)
        switch fit {
        case "clip": mapping = (.fit, true, false)
        case "max": mapping = (.fit, false, false)
        case "min": mapping = (.fillDown, false, false)
        case "crop": mapping = (.fill, true, false)
        case "scale": mapping = (.force, true, false)
        case "fill": mapping = (.fit, true, true)
        case "fillmax": mapping = (.fit, false, true)
        default: throw .invalidOption("fit", "unsupported mode \(OptionArguments.quoted(fit))")
        }
        options.resizingType = mapping.0
        options.enlarge = mapping.enlarge
        options.extend = mapping.extend ? .center : nil
    }

    private mutating func applyAspectRatio(_ text: String, fit: String?) throws(ImageURLError) {
        let sides = text.split(separator: ":", omittingEmptySubsequences: false)
        guard sides.count == 2 else { throw .invalidOption("ar", "expected W:H") }
        let ratioWidth = try OptionArguments.positiveDouble(String(sides[0]), "ar")
        let ratioHeight = try OptionArguments.positiveDouble(String(sides[1]), "ar")
        guard fit == "crop" else { return }  // imgix ignores `ar` without fit=crop
        switch (options.width, options.height) {
        case (0, 0):
            throw .invalidOption("ar", "needs w or h")
        case (let width, 0):
            options.height = max(1, Int((Double(width) * ratioHeight / ratioWidth).rounded()))
        case (0, let height):
            options.width = max(1, Int((Double(height) * ratioWidth / ratioHeight).rounded()))
        default:
            break  // both sides given: they win
        }
    }

    private mutating func applyImgixCrop(_ parameters: ImgixParameters) throws(ImageURLError) {
        var focusX = 0.5
        var focusY = 0.5
        var zoom = 1.0
        if let text = parameters["fp-x"] { focusX = try OptionArguments.fraction(text, "fp-x") }
        if let text = parameters["fp-y"] { focusY = try OptionArguments.fraction(text, "fp-y") }
        if let text = parameters["fp-z"] { zoom = try OptionArguments.double(text, "fp-z") }
        guard (1...100).contains(zoom) else { throw .invalidOption("fp-z", "expected 1…100") }
        guard let list = parameters["crop"] else { return }
        let modes = Set(list.split(separator: ",").map(String.init))
        let allowed: Set<String> = ["top", "bottom", "left", "right", "entropy", "edges", "focalpoint"]
        if modes.contains("faces") { throw .invalidOption("crop", "faces is not supported") }
        guard !modes.isEmpty, modes.isSubset(of: allowed) else { throw .invalidOption("crop", "unsupported mode in \(OptionArguments.quoted(list))") }

        if modes.contains("focalpoint") {
            options.gravity = Gravity(.focusPoint, x: focusX, y: focusY)
            if zoom > 1 { options.crop = Crop(width: 1 / zoom, height: 1 / zoom) }
        } else if modes.contains("entropy") || modes.contains("edges") {
            options.gravity = Gravity(.entropy)
        } else {
            guard !(modes.contains("top") && modes.contains("bottom")), !(modes.contains("left") && modes.contains("right")) else {
                throw .invalidOption("crop", "contradictory edges in \(OptionArguments.quoted(list))")
            }
            let vertical = modes.contains("top") ? "no" : modes.contains("bottom") ? "so" : ""
            let horizontal = modes.contains("left") ? "we" : modes.contains("right") ? "ea" : ""
            options.gravity = Gravity(GravityType(rawValue: vertical + horizontal) ?? .center)
        }
    }

    /// `rect=x,y,w,h` in source pixels: a crop anchored at the top-left corner.
    private mutating func applyRect(_ text: String) throws(ImageURLError) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4 else { throw .invalidOption("rect", "expected x,y,w,h") }
        let x = try OptionArguments.nonNegativeInt(parts[0], "rect")
        let y = try OptionArguments.nonNegativeInt(parts[1], "rect")
        let width = try OptionArguments.nonNegativeInt(parts[2], "rect")
        let height = try OptionArguments.nonNegativeInt(parts[3], "rect")
        guard width > 0, height > 0 else { throw .invalidOption("rect", "width and height must be positive") }
        options.crop = Crop(width: Double(width), height: Double(height), gravity: Gravity(.northWest, x: Double(x), y: Double(y)))
    }

    private mutating func applyFormat(_ parameters: ImgixParameters) throws(ImageURLError) {
        for mode in parameters.auto {
            switch mode {
            case "format": if parameters["fm"] == nil { options.format = .auto }
            case "compress":
                if parameters["q"] == nil { options.quality = 45 }
                options.stripMetadata = true
            case "enhance", "redeye": break
            default: throw .invalidOption("auto", "unsupported value \(OptionArguments.quoted(mode))")
            }
        }
        guard let format = parameters["fm"] else { return }
        switch format {
        case "json": options.format = .json
        case "pjpg":
            options.format = .fixed(.jpeg)
            options.progressive = true
        case "jpg", "png", "webp", "avif", "gif": options.format = .fixed(ImageFormat(rawValue: format)!)
        default: throw .invalidOption("fm", "unsupported format \(OptionArguments.quoted(format))")
        }
    }

    /// `pad` on every side, `pad-top`/`-right`/`-bottom`/`-left` overriding it per side.
    private mutating func applyImgixPadding(_ parameters: ImgixParameters) throws(ImageURLError) {
        let names = ["pad", "pad-top", "pad-right", "pad-bottom", "pad-left"]
        guard names.contains(where: { parameters[$0] != nil }) else { return }
        var padding = options.padding ?? Padding(top: 0, right: 0, bottom: 0, left: 0)
        if let all = parameters["pad"] {
            let value = try OptionArguments.nonNegativeInt(all, "pad")
            padding = Padding(top: value, right: value, bottom: value, left: value)
        }
        if let top = parameters["pad-top"] { padding.top = try OptionArguments.nonNegativeInt(top, "pad-top") }
        if let right = parameters["pad-right"] { padding.right = try OptionArguments.nonNegativeInt(right, "pad-right") }
        if let bottom = parameters["pad-bottom"] { padding.bottom = try OptionArguments.nonNegativeInt(bottom, "pad-bottom") }
        if let left = parameters["pad-left"] { padding.left = try OptionArguments.nonNegativeInt(left, "pad-left") }
        options.padding = padding
    }
}
