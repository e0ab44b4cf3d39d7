import CMagpieVips
import ImageProtocol

/// What `/info` reports about a source: its header facts plus placeholders computed from a
/// small thumbnail (BlurHash, ThumbHash, dominant colour).
public struct ImageInfo: Sendable, Codable, Equatable {
    public var width: Int
    public var height: Int
    /// After EXIF orientation.
    public var orientedWidth: Int
    public var orientedHeight: Int
    public var format: String
    public var bytes: Int
    public var hasAlpha: Bool
    public var animated: Bool
    public var frames: Int
    public var colorSpace: String
    public var orientation: Int
    /// `#rrggbb`.
    public var dominantColor: String
    public var blurhash: String
    /// Base64 of the ThumbHash bytes.
    public var thumbhash: String

    enum CodingKeys: String, CodingKey {
        case width, height, format, bytes, animated, frames, orientation, blurhash, thumbhash
        case orientedWidth = "oriented_width", orientedHeight = "oriented_height", hasAlpha = "alpha"
        case colorSpace = "color_space", dominantColor = "dominant_color"
    }
}

enum ImageInspector {
    static func inspect(_ source: UnsafeRawBufferPointer, limits: ImagingLimits) throws -> ImageInfo {
        guard let base = source.baseAddress, let format = SourceFormat.sniff(source) else {
            throw ImagingError.unsupportedSource("unrecognised content")
        }
        let header = try VImage.make("load") { mv_open(base, source.count, format.canAnimate ? 1 : 0, 1, $0) }
        let frames = format.canAnimate ? header.loadedFrames : 1
        let frameHeight = header.height / frames
        let pixels = header.width * frameHeight * frames
        if frames > limits.maxFrames { throw ImagingError.sourceFrames(frames, limit: limits.maxFrames) }
        if pixels > limits.maxSourcePixels { throw ImagingError.sourceResolution(pixels, limit: limits.maxSourcePixels) }
        let orientation = header.orientation
        let (orientedW, orientedH) = orientation >= 5 ? (frameHeight, header.width) : (header.width, frameHeight)

        // A ≤100×100 RGBA thumbnail of the first frame feeds the placeholders.
        let scale = min(1, 100 / Double(max(orientedW, orientedH)))
        let thumbW = max(1, Int((Double(orientedW) * scale).rounded())), thumbH = max(1, Int((Double(orientedH) * scale).rounded()))
        var thumb = try VImage.make("thumbnail") {
            mv_thumbnail_buffer(base, source.count, Int32(thumbW), Int32(thumbH), 0, 0, 0, header.hasICCProfile ? 1 : 0, $0)
        }
        if thumb.bands < 3 { thumb = try thumb.apply("colourspace") { mv_colourspace_srgb($0, $1) } }
        if !thumb.hasAlpha { thumb = try thumb.apply("addalpha") { mv_add_alpha($0, $1) } }
        thumb = try thumb.apply("cast") { mv_cast_uchar($0, $1) }
        let rgba = try thumb.pixels()
        let (w, h) = (thumb.width, thumb.height)
        guard rgba.count == w * h * 4, (1...ThumbHash.maximumDimension).contains(w), (1...ThumbHash.maximumDimension).contains(h) else {
            throw ImagingError(reason: "processing-error", message: "The placeholder thumbnail came out \(w)×\(h).", status: 422)
        }
        let dominant = DominantColor.of(rgba: rgba, width: w, height: h)
        return ImageInfo(
            width: header.width, height: frameHeight, orientedWidth: orientedW, orientedHeight: orientedH,
            format: format.rawValue, bytes: source.count, hasAlpha: header.hasAlpha, animated: frames > 1, frames: frames,
            colorSpace: header.interpretation, orientation: orientation,
            dominantColor: "#" + RGBColor(red: dominant.red, green: dominant.green, blue: dominant.blue).hex,
            blurhash: BlurHash.encode(rgba: rgba, width: w, height: h, componentsX: 4, componentsY: 3),
            thumbhash: ThumbHash.base64(ThumbHash.encode(rgba: rgba, width: w, height: h)))
    }
}
