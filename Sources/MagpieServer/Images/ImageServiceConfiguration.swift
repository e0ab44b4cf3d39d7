import ImageProtocol
import Imaging
import NIOCore

/// How `/i/` and `/a/` behave; `magpie serve` flags and `MAGPIE_IMAGE_*` variables feed it.
public struct ImageServiceConfiguration: Sendable {
    /// Signing key/salt pairs (several for rotation). Without any, only unsigned modes work.
    public var keys: [ImageSigningKey] = []
    /// Accept URLs without a valid signature (development).
    public var allowUnsigned = false
    /// Accept unsigned URLs that use presets only (public sites); anything else must be signed.
    public var unsignedPresetsOnly = false
    /// Named option sets in the imgproxy grammar (`pr:name`, `?preset=name`).
    public var presets: [String: [String]] = [:]
    /// Widths unsigned URLs snap up to (empty: no snapping).
    public var widthAllowList: [Int] = []
    /// A URL naming no format is negotiated from `Accept` (AVIF, WebP, else the source's format);
    /// false keeps the source's format.
    public var negotiateByDefault = true
    /// Result cache under `<data>/image-cache` (nil) or this directory.
    public var cacheDirectory: String?
    public var cacheMaxBytes = 1 << 30
    public var cacheMemoryBytes = 64 << 20
    /// `max-age` for results whose source is not pinned by a version or cache-buster.
    public var ttlSeconds = 3600
    public var threads = System.coreCount
    /// Jobs that may wait for a thread before new ones get 429.
    public var maxQueue = 64
    public var imaging = ImagingSettings()
    /// The watermark used by `wm:` when the URL names no watermark object.
    public var defaultWatermark: ObjectReference?
    /// Hosts remote `http(s)://` sources may come from (`*.example.com` patterns; `*` any host).
    /// Empty: remote sources are off.
    public var remoteHosts: [String] = []
    /// Let remote fetches reach private, loopback and link-local addresses (tests, intranets).
    public var remoteAllowPrivate = false
    public var remoteTimeout: Duration = .seconds(10)

    public init() {}
}
