import CMagpieVips
import ImageProtocol

/// ImageOptions applied to one source with libvips. Synchronous and CPU-bound: run it on the
/// engine's thread pool, never on the cooperative executor. The source bytes stay borrowed for
/// the whole run because libvips reads them lazily until the save returns.
struct ImagePipeline {
    let options: ImageOptions
    let settings: ImagingSettings
    let watermark: [UInt8]?

    func run(source: UnsafeRawBufferPointer, output: OutputChoice) throws -> ProcessedImage {
        let clock = ContinuousClock()
        let started = clock.now
        guard let base = source.baseAddress, source.count > 0 else { throw ImagingError.unsupportedSource("empty") }
        guard let sourceFormat = SourceFormat.sniff(source) else {
            throw ImagingError.unsupportedSource("unrecognised content")
        }
        let limits = settings.limits

        // Header only: dimensions, frames and orientation, without decoding a pixel.
        let header = try VImage.make("load") { mv_open(base, source.count, sourceFormat.canAnimate ? 1 : 0, 1, $0) }
        let sourceFrames = sourceFormat.canAnimate ? header.loadedFrames : 1
        let frameHeight = header.height / sourceFrames
        if sourceFrames > limits.maxFrames { throw ImagingError.sourceFrames(sourceFrames, limit: limits.maxFrames) }
        let pixels = header.width * frameHeight * sourceFrames
        if pixels > limits.maxSourcePixels { throw ImagingError.sourceResolution(pixels, limit: limits.maxSourcePixels) }

        let isAnimatedSource = sourceFrames > 1
        let format = output.resolve(source: sourceFormat, hasAlpha: header.hasAlpha, animated: isAnimatedSource)
        // Crops and trims before the resize work on one frame; so do formats without animation.
        let animated = isAnimatedSource && format.supportsAnimation && options.crop == nil && options.trim == nil
        let orientation = options.autoRotate ? header.orientation : 1
        let swapsForOrientation = orientation >= 5
        let quarterTurn = options.rotate == 90 || options.rotate == 270
        var orientedW = swapsForOrientation ? frameHeight : header.width
        var orientedH = swapsForOrientation ? header.width : frameHeight
        if quarterTurn { swap(&orientedW, &orientedH) }

        var image: VImage
        var plan: ResizePlan
        let frames = animated ? sourceFrames : 1
        if options.crop == nil && options.trim == nil {
            // Fast path: shrink-on-load straight to the scaled size.
            plan = ResizePlan(sourceWidth: orientedW, sourceHeight: orientedH, options: options)
            try checkResult(plan)
            let (targetW, targetH) = quarterTurn ? (plan.scaledHeight, plan.scaledWidth) : (plan.scaledWidth, plan.scaledHeight)
            image = try VImage.make("thumbnail") {
                mv_thumbnail_buffer(
                    base, source.count, Int32(targetW), Int32(targetH), 0, options.autoRotate ? 0 : 1,
                    animated ? 1 : 0, header.hasICCProfile ? 1 : 0, $0)
            }
            if quarterTurn { image = try rotate(image, frames: frames) }
        } else {
            image = try VImage.make("load") { mv_open(base, source.count, 0, 0, $0) }
            if options.autoRotate { image = try image.apply("autorot") { mv_autorot($0, $1) } }
            if header.hasICCProfile || image.bands < 3 { image = try image.apply("to_srgb") { mv_to_srgb($0, $1) } }
            if quarterTurn { image = try rotate(image, frames: 1) }
            if let trim = options.trim { image = try self.trim(image, trim) }
            if let crop = options.crop { image = try self.crop(image, crop) }
            plan = ResizePlan(sourceWidth: image.width, sourceHeight: image.height, options: options)
            try checkResult(plan)
            image = try image.apply("thumbnail") {
                mv_thumbnail_image($0, Int32(plan.scaledWidth), Int32(plan.scaledHeight), 0, 1, 0, $1)
            }
        }

        if options.rotate != 0 && !quarterTurn && options.rotate != 180 {
            let background = backgroundInk(for: image, format: format)
            image = try eachFrame(image, frames) { frame throws in
                try frame.apply("rotate") { mv_rotate($0, Double(options.rotate), background, Int32(background.count), $1) }
            }
        } else if options.rotate == 180 {
            image = try eachFrame(image, frames) { frame throws in try frame.apply("rot") { mv_rot($0, 180, $1) } }
        }
        if options.flipHorizontal { image = try image.apply("flip") { mv_flip($0, 1, $1) } }
        if options.flipVertical {
            image = try eachFrame(image, frames) { frame throws in try frame.apply("flip") { mv_flip($0, 0, $1) } }
        }
        if plan.needsCrop { image = try cropToResult(image, plan: plan, frames: frames) }
        if options.blur > 0 {
            image = try image.apply("gaussblur") { mv_gaussblur($0, options.blur, $1) }
        }
        if options.sharpen > 0 {
            image = try image.apply("sharpen") { mv_sharpen($0, options.sharpen, $1) }
        }
        if options.pixelate > 1 {
            image = try eachFrame(image, frames) { frame throws in
                try frame.apply("pixelate") { mv_pixelate($0, Int32(options.pixelate), $1) }
            }
        }
        if plan.needsExtend { image = try extend(image, plan: plan, frames: frames, format: format) }
        if let padding = options.padding { image = try pad(image, padding, frames: frames, format: format) }
        if let watermark, let mark = options.watermark { image = try applyWatermark(image, watermark, mark, frames: frames) }

        let frameW = image.width, frameH = image.height / frames
        if frameW > limits.maxResultSide || frameH > limits.maxResultSide {
            throw ImagingError.resultDimension(frameW, frameH, limit: limits.maxResultSide)
        }
        if image.hasAlpha && (!format.supportsAlpha || options.background != nil) {
            let color = options.background ?? RGBColor(red: 255, green: 255, blue: 255)
            image = try image.apply("flatten") { mv_flatten($0, Double(color.red), Double(color.green), Double(color.blue), $1) }
        }
        if options.stripMetadata { image = try image.apply("strip") { mv_strip_metadata($0, $1) } }
        if frames > 1 { _ = mv_set_page_height(image.pointer, Int32(frameH)) }

        let deadline = started + limits.timeout
        mv_set_deadline(image.pointer, deadlineMicroseconds(deadline, clock: clock))
        // Render small results into memory first so that encoding is timed on its own.
        if image.width * image.height <= 16_000_000 {
            image = try image.apply("render") { mv_copy_memory($0, $1) }
        }
        let rendered = clock.now
        let bytes = try encode(image, format: format)
        if clock.now > deadline { throw ImagingError.timeout }
        return ProcessedImage(
            bytes: bytes, format: format, width: frameW, height: frameH, frames: frames,
            transformTime: rendered - started, encodeTime: clock.now - rendered)
    }

    private func deadlineMicroseconds(_ deadline: ContinuousClock.Instant, clock: ContinuousClock) -> Int64 {
        // libvips compares with g_get_monotonic_time(); convert the remaining budget.
        let remaining = clock.now.duration(to: deadline)
        let micros = remaining.components.seconds * 1_000_000 + remaining.components.attoseconds / 1_000_000_000_000
        return mv_monotonic_us() + max(0, micros)
    }

    private func checkResult(_ plan: ResizePlan) throws {
        let side = settings.limits.maxResultSide
        if plan.canvasWidth > side || plan.canvasHeight > side || plan.scaledWidth > side * 4 || plan.scaledHeight > side * 4 {
            throw ImagingError.resultDimension(plan.canvasWidth, plan.canvasHeight, limit: side)
        }
    }

    // MARK: - Steps

    private func rotate(_ image: VImage, frames: Int) throws -> VImage {
        try eachFrame(image, frames) { frame throws in
            try frame.apply("rot") { mv_rot($0, Int32(options.rotate), $1) }
        }
    }

    private func trim(_ image: VImage, _ trim: Trim) throws -> VImage {
        var background: [Double]
        if let color = trim.color {
            background = [Double(color.red), Double(color.green), Double(color.blue)]
        } else {
            let corner = try image.apply("extract_area") { mv_extract_area($0, 0, 0, 1, 1, $1) }
            background = try corner.pixels().prefix(3).map(Double.init)
        }
        var left: Int32 = 0, top: Int32 = 0, width: Int32 = 0, height: Int32 = 0
        let status = background.withUnsafeBufferPointer {
            mv_find_trim(image.pointer, trim.threshold, $0.baseAddress, Int32($0.count), &left, &top, &width, &height)
        }
        guard status == 0 else { throw ImagingError.vips("find_trim") }
        guard width > 0, height > 0 else { return image }  // all background: leave it
        var l = Int(left), t = Int(top), w = Int(width), h = Int(height)
        if trim.equalHorizontal {
            let margin = min(l, image.width - l - w)
            w += (l - margin) + (image.width - l - w - margin)
            l = margin
        }
        if trim.equalVertical {
            let margin = min(t, image.height - t - h)
            h += (t - margin) + (image.height - t - h - margin)
            t = margin
        }
        return try image.apply("extract_area") { mv_extract_area($0, Int32(l), Int32(t), Int32(w), Int32(h), $1) }
    }

    private func crop(_ image: VImage, _ crop: Crop) throws -> VImage {
        func side(_ value: Double, _ full: Int) -> Int {
            if value <= 0 { return full }
            if value < 1 { return max(1, Int((Double(full) * value).rounded())) }
            return min(full, Int(value))
        }
        let width = side(crop.width, image.width), height = side(crop.height, image.height)
        if width == image.width && height == image.height { return image }
        return try cutOut(image, width: width, height: height, gravity: crop.gravity ?? options.gravity, dpr: 1)
    }

    private func cropToResult(_ image: VImage, plan: ResizePlan, frames: Int) throws -> VImage {
        try eachFrame(image, frames) { frame throws in
            let gravity = frames > 1 && [.smart, .entropy].contains(options.gravity.type) ? Gravity.center : options.gravity
            return try cutOut(frame, width: plan.cropWidth, height: plan.cropHeight, gravity: gravity, dpr: options.dpr)
        }
    }

    private func cutOut(_ image: VImage, width: Int, height: Int, gravity: Gravity, dpr: Double) throws -> VImage {
        let width = min(width, image.width), height = min(height, image.height)
        switch gravity.type {
        case .smart, .entropy:
            // Analysis reads the pixels once and the crop again: render first, the stream
            // from a sequential load cannot be read twice.
            let rendered = try image.apply("render") { mv_copy_memory($0, $1) }
            let interesting: Int32 = gravity.type == .smart ? 3 : 2
            return try rendered.apply("smartcrop") { mv_smartcrop($0, Int32(width), Int32(height), interesting, $1) }
        default:
            let (left, top) = gravityPosition(
                width: image.width, height: image.height, innerWidth: width, innerHeight: height, gravity: gravity, dpr: dpr)
            return try image.apply("extract_area") { mv_extract_area($0, Int32(left), Int32(top), Int32(width), Int32(height), $1) }
        }
    }

    private func extend(_ image: VImage, plan: ResizePlan, frames: Int, format: ImageFormat) throws -> VImage {
        let gravity = options.extend ?? .center
        return try onCanvas(image, frames: frames, format: format) { frame, ink throws in
            let (left, top) = gravityPosition(
                width: plan.canvasWidth, height: plan.canvasHeight, innerWidth: frame.width, innerHeight: frame.height,
                gravity: gravity.type == .smart || gravity.type == .entropy ? .center : gravity, dpr: options.dpr)
            return try frame.apply("embed") {
                mv_embed($0, Int32(left), Int32(top), Int32(plan.canvasWidth), Int32(plan.canvasHeight), ink, Int32(ink.count), $1)
            }
        }
    }

    private func pad(_ image: VImage, _ padding: Padding, frames: Int, format: ImageFormat) throws -> VImage {
        let scale = max(1, options.dpr)
        let top = Int((Double(padding.top) * scale).rounded()), right = Int((Double(padding.right) * scale).rounded())
        let bottom = Int((Double(padding.bottom) * scale).rounded()), left = Int((Double(padding.left) * scale).rounded())
        return try onCanvas(image, frames: frames, format: format) { frame, ink throws in
            try frame.apply("embed") {
                mv_embed(
                    $0, Int32(left), Int32(top), Int32(frame.width + left + right), Int32(frame.height + top + bottom), ink,
                    Int32(ink.count), $1)
            }
        }
    }

    /// Prepares colour and alpha so that `body` can place each frame on a background canvas.
    private func onCanvas(
        _ image: VImage, frames: Int, format: ImageFormat, _ body: (VImage, [Double]) throws -> VImage
    ) throws -> VImage {
        var image = image
        if image.bands < 3 { image = try image.apply("colourspace") { mv_colourspace_srgb($0, $1) } }
        let transparent = options.background == nil && format.supportsAlpha
        if transparent && !image.hasAlpha { image = try image.apply("addalpha") { mv_add_alpha($0, $1) } }
        let ink = backgroundInk(for: image, format: format)
        return try eachFrame(image, frames) { frame throws in try body(frame, ink) }
    }

    private func backgroundInk(for image: VImage, format: ImageFormat) -> [Double] {
        let color = options.background ?? (format.supportsAlpha && image.hasAlpha
            ? RGBColor(red: 0, green: 0, blue: 0, alpha: 0) : RGBColor(red: 255, green: 255, blue: 255))
        var ink = [Double(color.red), Double(color.green), Double(color.blue)]
        if image.bands < 3 { ink = [Double(color.red)] }
        if image.hasAlpha { ink.append((color.alpha * 255).rounded()) }
        return ink
    }

    private func applyWatermark(_ image: VImage, _ bytes: [UInt8], _ mark: Watermark, frames: Int) throws -> VImage {
        var image = image
        if image.bands < 3 { image = try image.apply("colourspace") { mv_colourspace_srgb($0, $1) } }
        let frameW = image.width, frameH = image.height / frames
        let overlay = try bytes.withUnsafeBytes { raw throws -> VImage in
            guard let base = raw.baseAddress, SourceFormat.sniff(raw) != nil else {
                throw ImagingError.unsupportedSource("watermark is not a supported image")
            }
            let header = try VImage.make("load") { mv_open(base, raw.count, 0, 1, $0) }
            var w = Double(header.width), h = Double(header.height)
            if mark.scale > 0 {
                let wanted = max(1, Double(frameW) * mark.scale)
                h = h * wanted / w
                w = wanted
            }
            let fit = min(1, Double(frameW) / w, Double(frameH) / h)
            let width = max(1, Int((w * fit).rounded())), height = max(1, Int((h * fit).rounded()))
            var mark = try VImage.make("thumbnail") {
                mv_thumbnail_buffer(base, raw.count, Int32(width), Int32(height), 0, 0, 0, header.hasICCProfile ? 1 : 0, $0)
            }
            if mark.bands < 3 { mark = try mark.apply("colourspace") { mv_colourspace_srgb($0, $1) } }
            // Render now: the watermark's source bytes are only borrowed inside this closure.
            return try mark.apply("render") { mv_copy_memory($0, $1) }
        }
        var faded = try overlay.apply("fade") { mv_fade($0, max(0, min(1, mark.opacity)), $1) }
        if mark.tile {
            let across = (frameW + faded.width - 1) / faded.width, down = (frameH + faded.height - 1) / faded.height
            faded = try faded.apply("replicate") { mv_replicate($0, Int32(across), Int32(down), $1) }
            faded = try faded.apply("extract_area") { mv_extract_area($0, 0, 0, Int32(frameW), Int32(frameH), $1) }
        }
        let (left, top) = mark.tile
            ? (0, 0)
            : gravityPosition(
                width: frameW, height: frameH, innerWidth: faded.width, innerHeight: faded.height, gravity: mark.position,
                dpr: options.dpr)
        return try eachFrame(image, frames) { frame throws in
            try frame.apply("composite") { mv_composite($0, faded.pointer, Int32(left), Int32(top), $1) }
        }
    }

    private func encode(_ image: VImage, format: ImageFormat) throws -> [UInt8] {
        let quality = Int32(max(1, min(100, settings.quality(for: format, options: options))))
        let interlace: Int32 = options.progressive ? 1 : 0
        let strip: Int32 = options.stripMetadata ? 1 : 0
        switch format {
        case .jpeg: return try image.save("jpegsave") { mv_jpegsave($0, quality, interlace, strip, $1, $2) }
        case .png: return try image.save("pngsave") { mv_pngsave($0, interlace, strip, $1, $2) }
        case .avif: return try image.save("avifsave") { mv_avifsave($0, quality, Int32(settings.avifEffort), strip, $1, $2) }
        case .gif: return try image.save("gifsave") { mv_gifsave($0, interlace, strip, $1, $2) }
        case .webp:
            let bytes = try image.save("webpsave") { mv_webpsave($0, quality, Int32(settings.webpEffort), strip, $1, $2) }
            // libvips 8.14 writes a regenerated EXIF block into WebP whatever `strip` says.
            return options.stripMetadata ? WebPContainer.removingMetadata(bytes) : bytes
        }
    }
}

/// Applies `body` to every frame of an animated image (frames stacked top to bottom) and joins
/// the results; a still image is passed through once.
func eachFrame(_ image: VImage, _ frames: Int, _ body: (VImage) throws -> VImage) throws -> VImage {
    guard frames > 1 else { return try body(image) }
    let height = image.height / frames
    var results: [VImage] = []
    results.reserveCapacity(frames)
    for index in 0..<frames {
        let frame = try image.apply("extract_area") {
            mv_extract_area($0, 0, Int32(index * height), Int32(image.width), Int32(height), $1)
        }
        results.append(try body(frame))
    }
    var pointers: [OpaquePointer?] = results.map { $0.pointer }
    let joined = try VImage.make("arrayjoin") { mv_join_pages(&pointers, Int32(pointers.count), $0) }
    withExtendedLifetime(results) {}
    return joined
}
