// The one canonical description of an image transformation. Both URL grammars (imgproxy's path
// at `/i/`, imgix's query at `/a/`) parse into this value; its `canonical` serialisation is the
// result-cache key and the ETag input, so equivalent URLs share one result.

/// How the source is fitted into the requested box (imgproxy's resizing types).
public enum ResizingType: String, Sendable, Hashable, CaseIterable {
    /// Keep the aspect ratio, fit inside width×height.
    case fit
    /// Keep the aspect ratio, cover width×height, then crop to it (by gravity).
    case fill
    /// As `fill`, but never enlarge; when the result is smaller, crop to the requested aspect ratio.
    case fillDown = "fill-down"
    /// Ignore the aspect ratio: exactly width×height.
    case force
    /// `fill` when source and target orientation agree, `fit` otherwise.
    case auto
}

/// Where a crop, an extension or a watermark is anchored.
public enum GravityType: String, Sendable, Hashable, CaseIterable {
    case north = "no", south = "so", east = "ea", west = "we"
    case northEast = "noea", northWest = "nowe", southEast = "soea", southWest = "sowe"
    case center = "ce"
    /// libvips "attention" (smart crop).
    case smart = "sm"
    /// libvips "entropy".
    case entropy = "en"
    /// A focus point given as fractions of the image (x, y in 0…1).
    case focusPoint = "fp"
}

public struct Gravity: Sendable, Hashable {
    public var type: GravityType
    /// Offsets in pixels for compass gravities (imgproxy's x_offset/y_offset); for `focusPoint`
    /// the point as fractions 0…1.
    public var x: Double
    public var y: Double

    public init(_ type: GravityType, x: Double = 0, y: Double = 0) {
        self.type = type
        self.x = x
        self.y = y
    }

    public static let center = Gravity(.center)
}

/// A crop of the source before resizing. Width/height ≥ 1 are pixels, in (0, 1) fractions of
/// the source, 0 means "the whole side".
public struct Crop: Sendable, Hashable {
    public var width: Double
    public var height: Double
    /// nil: use the request's gravity.
    public var gravity: Gravity?

    public init(width: Double, height: Double, gravity: Gravity? = nil) {
        self.width = width
        self.height = height
        self.gravity = gravity
    }
}

public struct Trim: Sendable, Hashable {
    public var threshold: Double
    /// nil: the top-left pixel's colour.
    public var color: RGBColor?
    public var equalHorizontal: Bool
    public var equalVertical: Bool

    public init(threshold: Double, color: RGBColor? = nil, equalHorizontal: Bool = false, equalVertical: Bool = false) {
        self.threshold = threshold
        self.color = color
        self.equalHorizontal = equalHorizontal
        self.equalVertical = equalVertical
    }
}

public struct Padding: Sendable, Hashable {
    public var top: Int, right: Int, bottom: Int, left: Int

    public init(top: Int, right: Int, bottom: Int, left: Int) {
        self.top = top
        self.right = right
        self.bottom = bottom
        self.left = left
    }
}

public struct RGBColor: Sendable, Hashable {
    public var red: UInt8, green: UInt8, blue: UInt8
    /// 0…1; 1 is opaque.
    public var alpha: Double

    public init(red: UInt8, green: UInt8, blue: UInt8, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// `rrggbb`, lower-case hex.
    public var hex: String {
        let digits = Array("0123456789abcdef")
        return [red, green, blue].map { "\(digits[Int($0 >> 4)])\(digits[Int($0 & 15)])" }.joined()
    }
}

/// A stored object (by bucket, key and optional version) used as an image or watermark source.
public struct ObjectReference: Sendable, Hashable {
    public var bucket: String
    public var key: String
    public var versionId: String?

    public init(bucket: String, key: String, versionId: String? = nil) {
        self.bucket = bucket
        self.key = key
        self.versionId = versionId
    }
}

public enum ImageSource: Sendable, Hashable {
    case object(ObjectReference)
    /// `http(s)://` — only when the server allows remote sources for the host.
    case remote(String)
}

public struct Watermark: Sendable, Hashable {
    /// 0…1.
    public var opacity: Double
    /// Position; `re` (replicate/tile) is expressed with `tile == true`.
    public var position: Gravity
    public var tile: Bool
    /// Fraction of the result's width the watermark takes; 0 keeps its own size.
    public var scale: Double
    /// nil: the server's configured default watermark object.
    public var source: ObjectReference?

    public init(opacity: Double, position: Gravity = .center, tile: Bool = false, scale: Double = 0, source: ObjectReference? = nil) {
        self.opacity = opacity
        self.position = position
        self.tile = tile
        self.scale = scale
        self.source = source
    }
}

public enum ImageFormat: String, Sendable, Hashable, CaseIterable {
    case jpeg = "jpg", png, webp, avif, gif

    public var contentType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .webp: "image/webp"
        case .avif: "image/avif"
        case .gif: "image/gif"
        }
    }
}

/// What the URL asked for as the output format.
public enum FormatRequest: Sendable, Hashable {
    /// Negotiate from `Accept`: AVIF, else WebP, else the source's format.
    case auto
    case fixed(ImageFormat)
    /// The `info` endpoint / `fm=json`: metadata and placeholders instead of pixels.
    case json
}

public struct ImageOptions: Sendable, Hashable {
    public var resizingType: ResizingType = .fit
    /// 0: derived from the other side (or the source when both are 0).
    public var width: Int = 0
    public var height: Int = 0
    public var minWidth: Int = 0
    public var minHeight: Int = 0
    public var enlarge: Bool = false
    /// Extend the result to the requested size with the background (gravity = placement).
    public var extend: Gravity? = nil
    /// 1…5.
    public var dpr: Double = 1
    public var zoomX: Double = 1
    public var zoomY: Double = 1
    public var gravity: Gravity = .center
    public var crop: Crop? = nil
    public var trim: Trim? = nil
    public var padding: Padding? = nil
    public var autoRotate: Bool = true
    /// Degrees clockwise, 0…359 (the imgproxy grammar only allows multiples of 90).
    public var rotate: Int = 0
    public var flipHorizontal: Bool = false
    public var flipVertical: Bool = false
    /// Used to flatten alpha (e.g. for JPEG) and to fill extend/padding; nil: white when
    /// flattening, transparent (or white for JPEG) when extending.
    public var background: RGBColor? = nil
    /// Gaussian blur sigma; 0 is off.
    public var blur: Double = 0
    /// Sharpen sigma; 0 is off.
    public var sharpen: Double = 0
    /// Pixelate block size in pixels; 0 is off.
    public var pixelate: Int = 0
    /// 1…100; 0 is the server's default for the format.
    public var quality: Int = 0
    /// Per-format quality overrides (imgproxy `fq`).
    public var formatQuality: [ImageFormat: Int] = [:]
    /// nil: the URL named no format (the server's default policy applies, normally `auto`).
    public var format: FormatRequest? = nil
    /// Progressive/interlaced JPEG (and interlaced PNG/GIF).
    public var progressive: Bool = false
    public var watermark: Watermark? = nil
    /// Metadata (EXIF/XMP/IPTC) removed from the output; on by default.
    public var stripMetadata: Bool = true
    /// An opaque cache-buster (imgproxy `cb`); part of the cache key, pins immutability.
    public var cacheBuster: String? = nil
    /// `Content-Disposition` filename (without extension) and whether it is an attachment.
    public var filename: String? = nil
    public var attachment: Bool = false
    /// Unix time after which the URL is refused (imgproxy `exp`, imgix `expires`).
    public var expires: Int? = nil

    public init() {}
}

/// A parsed request: what to do, to what.
public struct ImageRequest: Sendable, Hashable {
    public var options: ImageOptions
    public var source: ImageSource
    /// The names of presets that were applied (for the "presets only" policy).
    public var presets: [String]
    /// True when the URL used only presets (and the source), no free options.
    public var onlyPresets: Bool

    public init(options: ImageOptions, source: ImageSource, presets: [String] = [], onlyPresets: Bool = false) {
        self.options = options
        self.source = source
        self.presets = presets
        self.onlyPresets = onlyPresets
    }
}
