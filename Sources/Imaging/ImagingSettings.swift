import ImageProtocol

/// Refusals that protect the server from image bombs and runaway work.
public struct ImagingLimits: Sendable, Equatable {
    /// Source pixels, all frames summed.
    public var maxSourcePixels: Int = 50_000_000
    public var maxSourceBytes: Int = 50 << 20
    /// Largest side of a result.
    public var maxResultSide: Int = 8192
    public var maxFrames: Int = 100
    /// Wall-clock budget for one transformation.
    public var timeout: Duration = .seconds(20)

    public init() {}
}

public struct ImagingSettings: Sendable, Equatable {
    public var limits = ImagingLimits()
    /// Default quality per format when the URL names none.
    public var quality: [ImageFormat: Int] = [.jpeg: 80, .webp: 79, .avif: 60]
    /// libvips AVIF (AV1) effort 0…9; 4 costs ~200 ms on a thumbnail, so the default is low.
    public var avifEffort: Int = 2
    /// libvips WebP effort 0…6.
    public var webpEffort: Int = 4

    public init() {}

    func quality(for format: ImageFormat, options: ImageOptions) -> Int {
        if let perFormat = options.formatQuality[format] { return perFormat }
        if options.quality > 0 { return options.quality }
        return quality[format] ?? 80
    }
}

/// The output format: fixed by the URL, or negotiated from what the client accepts.
public enum OutputChoice: Sendable, Hashable {
    case fixed(ImageFormat)
    case negotiate(acceptsAVIF: Bool, acceptsWebP: Bool)

    /// AVIF when accepted, else WebP, else the source's own format. Animated sources go to
    /// WebP or GIF so that they stay animated.
    func resolve(source: SourceFormat, hasAlpha: Bool, animated: Bool) -> ImageFormat {
        switch self {
        case .fixed(let format):
            return format
        case .negotiate(let avif, let webp):
            if animated { return webp ? .webp : .gif }
            if avif { return .avif }
            if webp { return .webp }
            return source.fallbackOutput(hasAlpha: hasAlpha, animated: false)
        }
    }

    /// Stable text for cache keys.
    public var canonical: String {
        switch self {
        case .fixed(let format): format.rawValue
        case .negotiate(let avif, let webp): "auto(" + (avif ? "avif," : "") + (webp ? "webp," : "") + ")"
        }
    }
}

/// One produced image.
public struct ProcessedImage: Sendable {
    public var bytes: [UInt8]
    public var format: ImageFormat
    public var width: Int
    public var height: Int
    public var frames: Int
    /// Decoding and transforming (libvips is lazy: this is the render into memory).
    public var transformTime: Duration
    public var encodeTime: Duration
}
