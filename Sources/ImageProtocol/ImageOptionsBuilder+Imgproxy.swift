import MagpieCore

/// imgproxy's processing options (docs.imgproxy.net, "Processing an image"), applied one at a time.
extension ImageOptionsBuilder {
    /// Applies one `name:arg:arg…` option. Arguments are percent-decoded once (imgproxy does not
    /// decode them; for the numbers and names it takes the result is the same).
    mutating func applyImgproxyOption(_ name: String, _ rawArgs: [String], stack: [String]) throws(ImageURLError) {
        guard let option = ImgproxyOption(name: name) else { throw .unknownOption(name) }
        let label = option.rawValue
        guard option.arity.contains(rawArgs.count) else {
            throw .invalidOption(label, "takes \(Self.describe(option.arity)) arguments, got \(rawArgs.count)")
        }
        var args: [String] = []
        for raw in rawArgs {
            guard let decoded = PercentEncoding.decode(raw) else { throw .invalidOption(label, "malformed percent-encoding") }
            args.append(decoded)
        }
        try apply(option, args, label, stack: stack)
    }

    private mutating func apply(_ option: ImgproxyOption, _ args: [String], _ label: String, stack: [String]) throws(ImageURLError) {
        typealias Arg = OptionArguments
        let first = args[0]
        switch option {
        case .resize:
            if !first.isEmpty { try apply(.resizingType, [first], "resizing_type", stack: stack) }
            if args.count > 1 { try applySize(Array(args.dropFirst())) }
        case .size:
            try applySize(args)
        case .resizingType:
            guard let type = ResizingType(rawValue: first) else { throw .invalidOption(label, "unknown type \(Arg.quoted(first))") }
            options.resizingType = type
        case .width: options.width = try Arg.nonNegativeInt(first, label)
        case .height: options.height = try Arg.nonNegativeInt(first, label)
        case .minWidth: options.minWidth = try Arg.nonNegativeInt(first, label)
        case .minHeight: options.minHeight = try Arg.nonNegativeInt(first, label)
        case .zoom:
            options.zoomX = try Arg.positiveDouble(first, label)
            options.zoomY = args.count > 1 ? try Arg.positiveDouble(args[1], label) : options.zoomX
        case .dpr:
            let dpr = try Arg.positiveDouble(first, label)
            guard dpr <= 5 else { throw .invalidOption(label, "must not exceed 5") }
            options.dpr = dpr
        case .enlarge: options.enlarge = try Arg.bool(first, label)
        case .extend: try applyExtend(args)
        case .gravity: options.gravity = try Gravity.parse(args[...], option: label, allowed: GravityType.forCrop)
        case .crop:
            let width = try Arg.nonNegativeDouble(first, label)
            let height = args.count > 1 ? try Arg.nonNegativeDouble(args[1], label) : 0
            let gravity = args.count > 2 ? try Gravity.parse(args[2...], option: label, allowed: GravityType.forCrop) : nil
            options.crop = Crop(width: width, height: height, gravity: gravity)
        case .trim: try applyTrim(args)
        case .padding: try applyPadding(args)
        case .autoRotate: options.autoRotate = try Arg.bool(first, label)
        case .rotate:
            let angle = try Arg.int(first, label)
            guard angle % 90 == 0 else { throw .invalidOption(label, "the angle must be a multiple of 90") }
            options.rotate = (angle % 360 + 360) % 360
        case .flip:
            options.flipHorizontal = first.isEmpty ? false : try Arg.bool(first, label)
            options.flipVertical = args.count > 1 && !args[1].isEmpty ? try Arg.bool(args[1], label) : false
        case .background: try applyBackground(args)
        case .blur: options.blur = try Arg.positiveDouble(first, label)
        case .sharpen: options.sharpen = try Arg.positiveDouble(first, label)
        case .pixelate: options.pixelate = try Arg.nonNegativeInt(first, label)
        case .quality: options.quality = try Arg.int(first, label, in: 0...100)
        case .formatQuality:
            guard args.count % 2 == 0 else { throw .invalidOption(label, "expects format:quality pairs") }
            for index in stride(from: 0, to: args.count, by: 2) {
                guard let format = ImageFormat(name: args[index]) else {
                    throw .invalidOption(label, "unsupported format \(Arg.quoted(args[index]))")
                }
                options.formatQuality[format] = try Arg.int(args[index + 1], label, in: 1...100)
            }
        case .format: options.format = try Self.formatRequest(first, label)
        case .watermark: try applyWatermark(args)
        case .watermarkURL:
            guard !first.isEmpty else {
                watermarkSource = nil
                return
            }
            guard let bytes = Base64URL.decode(first), let url = String(validating: bytes, as: UTF8.self) else {
                throw .invalidOption(label, "expected URL-safe Base64")
            }
            do {
                watermarkSource = try ObjectReference.parse(s3URL: url)
            } catch {
                throw .invalidOption(label, error.message)
            }
        case .stripMetadata: options.stripMetadata = try Arg.bool(first, label)
        case .cacheBuster: options.cacheBuster = first.isEmpty ? nil : first
        case .filename:
            var name = first
            if args.count > 1, !args[1].isEmpty, try Arg.bool(args[1], label) {
                guard let bytes = Base64URL.decode(first), let decoded = String(validating: bytes, as: UTF8.self) else {
                    throw .invalidOption(label, "expected URL-safe Base64")
                }
                name = decoded
            }
            options.filename = name.isEmpty ? nil : name
        case .returnAttachment: options.attachment = try Arg.bool(first, label)
        case .expires:
            let timestamp = try Arg.int(first, label)
            options.expires = timestamp > 0 ? timestamp : nil
        case .preset:
            guard !args.contains(where: \.isEmpty) else { throw .invalidOption(label, "empty preset name") }
            try applyPresets(args, stack: stack)
        case .jpegOptions:
            // Only `progressive` is honoured; imgproxy Pro's other JPEG tunables are accepted and ignored.
            if !first.isEmpty { options.progressive = try Arg.bool(first, label) }
        }
    }

    /// `%width:%height:%enlarge:%extend:%gravity…` (the tail of `resize`, all of `size`).
    private mutating func applySize(_ args: [String]) throws(ImageURLError) {
        if !args[0].isEmpty { options.width = try OptionArguments.nonNegativeInt(args[0], "width") }
        if args.count > 1, !args[1].isEmpty { options.height = try OptionArguments.nonNegativeInt(args[1], "height") }
        if args.count > 2, !args[2].isEmpty { options.enlarge = try OptionArguments.bool(args[2], "enlarge") }
        if args.count > 3, !args[3].isEmpty { try applyExtend(Array(args.dropFirst(3))) }
    }

    /// `%extend:%gravity…`; an enabled extend without a gravity is centred.
    private mutating func applyExtend(_ args: [String]) throws(ImageURLError) {
        let enabled = try OptionArguments.bool(args[0], "extend")
        let gravity = args.count > 1 ? try Gravity.parse(args[1...], option: "extend", allowed: GravityType.forExtend) : .center
        options.extend = enabled ? gravity : nil
    }

    /// `%threshold:%color:%equal_hor:%equal_ver`; an empty threshold turns trimming off.
    private mutating func applyTrim(_ args: [String]) throws(ImageURLError) {
        guard !args[0].isEmpty else {
            options.trim = nil
            return
        }
        var trim = Trim(threshold: try OptionArguments.nonNegativeDouble(args[0], "trim"))
        if args.count > 1, !args[1].isEmpty { trim.color = try OptionArguments.hexColor(args[1], "trim") }
        if args.count > 2, !args[2].isEmpty { trim.equalHorizontal = try OptionArguments.bool(args[2], "trim") }
        if args.count > 3, !args[3].isEmpty { trim.equalVertical = try OptionArguments.bool(args[3], "trim") }
        options.trim = trim
    }

    /// CSS order `%top:%right:%bottom:%left`: right defaults to top, bottom to top, left to right.
    /// An empty top keeps the current one, as imgproxy does.
    private mutating func applyPadding(_ args: [String]) throws(ImageURLError) {
        func side(_ index: Int) throws(ImageURLError) -> Int? {
            index < args.count && !args[index].isEmpty ? try OptionArguments.nonNegativeInt(args[index], "padding") : nil
        }
        let top = try side(0) ?? options.padding?.top ?? 0
        let right = try side(1) ?? top
        let bottom = try side(2) ?? top
        let left = try side(3) ?? right
        options.padding = Padding(top: top, right: right, bottom: bottom, left: left)
    }

    /// `%R:%G:%B` (0…255 each) or `%hex_color`; no value turns the background off.
    private mutating func applyBackground(_ args: [String]) throws(ImageURLError) {
        switch args.count {
        case 1 where args[0].isEmpty:
            options.background = nil
        case 1:
            options.background = try OptionArguments.hexColor(args[0], "background")
        case 3:
            var channels: [UInt8] = []
            for channel in args {
                channels.append(UInt8(try OptionArguments.int(channel, "background", in: 0...255)))
            }
            options.background = RGBColor(red: channels[0], green: channels[1], blue: channels[2])
        default:
            throw .invalidOption("background", "takes R:G:B or one hex colour")
        }
    }

    /// `%opacity:%position:%x_offset:%y_offset:%scale`; position `re` tiles the watermark.
    private mutating func applyWatermark(_ args: [String]) throws(ImageURLError) {
        let opacity = try OptionArguments.fraction(args[0], "watermark")
        var watermark = Watermark(opacity: opacity)
        if args.count > 1, !args[1].isEmpty {
            if args[1] == "re" {
                watermark.tile = true
            } else if let type = GravityType(rawValue: args[1]), GravityType.compass.contains(type) {
                watermark.position = Gravity(type)
            } else {
                throw .invalidOption("watermark", "unsupported position \(OptionArguments.quoted(args[1]))")
            }
        }
        if args.count > 2, !args[2].isEmpty { watermark.position.x = try OptionArguments.double(args[2], "watermark") }
        if args.count > 3, !args[3].isEmpty { watermark.position.y = try OptionArguments.double(args[3], "watermark") }
        if args.count > 4, !args[4].isEmpty { watermark.scale = try OptionArguments.nonNegativeDouble(args[4], "watermark") }
        options.watermark = watermark
    }

    /// `jpg`, `jpeg`, `png`, `webp`, `avif`, `gif`, or `auto` (negotiate from `Accept`).
    static func formatRequest(_ name: String, _ label: String) throws(ImageURLError) -> FormatRequest {
        if name == "auto" { return .auto }
        guard let format = ImageFormat(name: name) else { throw .invalidOption(label, "unsupported format \(OptionArguments.quoted(name))") }
        return .fixed(format)
    }

    private static func describe(_ range: ClosedRange<Int>) -> String {
        if range.lowerBound == range.upperBound { return "\(range.lowerBound)" }
        return range.upperBound == Int.max ? "at least \(range.lowerBound)" : "\(range.lowerBound)–\(range.upperBound)"
    }
}
