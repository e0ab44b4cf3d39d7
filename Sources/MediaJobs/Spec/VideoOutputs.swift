/// H.264 High + AAC in MP4 with `+faststart`, never taller than the source.
public struct MP4Output: Sendable, Equatable, Codable {
    public var name: String?
    /// Largest height (short side for portrait sources); default 1080.
    public var maxHeight: Int?
    /// x264 constant rate factor; default 23.
    public var crf: Int?
    /// Bitrate cap in kbit/s; default from the output height.
    public var maxrateKbps: Int?
    /// x264 preset; default `veryfast`.
    public var preset: String?
    public var audioBitrateKbps: Int?

    public init(name: String? = nil, maxHeight: Int? = nil, crf: Int? = nil, maxrateKbps: Int? = nil, preset: String? = nil) {
        self.name = name
        self.maxHeight = maxHeight
        self.crf = crf
        self.maxrateKbps = maxrateKbps
        self.preset = preset
    }

    func validate() throws(JobError) {
        try check((144...4320).contains(maxHeight ?? 1080), "mp4.maxHeight is 144…4320.")
        try check((0...51).contains(crf ?? 23), "mp4.crf is 0…51.")
        try check((100...100_000).contains(maxrateKbps ?? 1000), "mp4.maxrateKbps is 100…100000.")
        try check((32...512).contains(audioBitrateKbps ?? 128), "mp4.audioBitrateKbps is 32…512.")
        try X264Preset.check(preset)
    }
}

public enum X264Preset {
    public static let all = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"]
    static func check(_ preset: String?) throws(JobError) {
        try MediaJobs.check(all.contains(preset ?? "veryfast"), "preset is one of \(all.joined(separator: ", ")).")
    }
}

/// An adaptive HLS ladder made in one FFmpeg run.
public struct HLSOutput: Sendable, Equatable, Codable {
    public enum Container: String, Sendable, Codable { case cmaf, ts }

    public var name: String?
    /// Rung heights (short side for portrait); default 1080, 720, 480, 360.
    public var rungs: [Int]?
    /// Target segment duration in seconds; default 4.
    public var segmentSeconds: Double?
    /// `cmaf` (fMP4 segments, default) or `ts` (MPEG-TS).
    public var container: Container?
    /// Also write a DASH manifest over the same CMAF segments.
    public var dash: Bool?
    public var audioBitrateKbps: Int?
    public var preset: String?

    public init(name: String? = nil, rungs: [Int]? = nil, segmentSeconds: Double? = nil, container: Container? = nil, dash: Bool? = nil) {
        self.name = name
        self.rungs = rungs
        self.segmentSeconds = segmentSeconds
        self.container = container
        self.dash = dash
    }

    public static let defaultRungs = [1080, 720, 480, 360]
    public var effectiveRungs: [Int] { rungs ?? Self.defaultRungs }
    public var effectiveSegmentSeconds: Double { segmentSeconds ?? 4 }
    public var effectiveContainer: Container { container ?? .cmaf }

    func validate() throws(JobError) {
        try check(!effectiveRungs.isEmpty && effectiveRungs.count <= 8, "hls.rungs lists 1…8 heights.")
        try check(effectiveRungs.allSatisfy { (144...4320).contains($0) }, "hls.rungs heights are 144…4320.")
        try check(Set(effectiveRungs).count == effectiveRungs.count, "hls.rungs has a height twice.")
        try check((1...30).contains(effectiveSegmentSeconds), "hls.segmentSeconds is 1…30.")
        try check(!(dash ?? false) || effectiveContainer == .cmaf, "hls.dash needs the cmaf container.")
        try check((32...512).contains(audioBitrateKbps ?? 128), "hls.audioBitrateKbps is 32…512.")
        try X264Preset.check(preset)
    }
}

public enum ImageFormat: String, Sendable, Codable {
    case jpg, webp
    public var fileExtension: String { rawValue }
}

/// Stills at given times (`thumbnail`), or one (`poster`).
public struct ThumbnailOutput: Sendable, Equatable, Codable {
    public var name: String?
    /// Times or percentages; default `["50%"]` (a poster: `["10%"]`).
    public var times: [TimePoint]?
    public var format: ImageFormat?
    /// Width and/or height; one alone keeps the aspect ratio; none keeps the source size (capped at 1080 lines).
    public var width: Int?
    public var height: Int?

    public init(name: String? = nil, times: [TimePoint]? = nil, format: ImageFormat? = nil, width: Int? = nil, height: Int? = nil) {
        self.name = name
        self.times = times
        self.format = format
        self.width = width
        self.height = height
    }

    func validate(single: Bool) throws(JobError) {
        let count = times?.count ?? 1
        try check(single ? count == 1 : (1...50).contains(count), single ? "poster takes one time." : "thumbnail.times lists 1…50 times.")
        try check((16...3840).contains(width ?? 320), "width is 16…3840.")
        try check((16...3840).contains(height ?? 320), "height is 16…3840.")
    }
}

/// A sprite sheet of evenly spaced frames plus a WebVTT file of `#xywh=` cues.
public struct StoryboardOutput: Sendable, Equatable, Codable {
    public var name: String?
    /// Seconds between tiles; default: the duration ÷ 60, at least 1.
    public var interval: Double?
    /// Tiles per row; default 10.
    public var columns: Int?
    /// Tile width; default 160 (height follows the aspect ratio).
    public var width: Int?
    public var format: ImageFormat?

    public init(name: String? = nil, interval: Double? = nil, columns: Int? = nil, width: Int? = nil) {
        self.name = name
        self.interval = interval
        self.columns = columns
        self.width = width
    }

    func validate() throws(JobError) {
        try check((0.5...3600).contains(interval ?? 1), "storyboard.interval is 0.5…3600 seconds.")
        try check((1...20).contains(columns ?? 10), "storyboard.columns is 1…20.")
        try check((32...640).contains(width ?? 160), "storyboard.width is 32…640.")
    }
}

/// A short silent loop: animated WebP and/or MP4.
public struct PreviewOutput: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case webp, mp4 }
    public var name: String?
    public var start: TimePoint?
    /// Seconds; default 3.
    public var duration: Double?
    /// Width; default 320.
    public var width: Int?
    /// Frames per second; default 10.
    public var fps: Int?
    /// Default both.
    public var formats: [Kind]?

    public init(name: String? = nil, start: TimePoint? = nil, duration: Double? = nil, width: Int? = nil, fps: Int? = nil, formats: [Kind]? = nil) {
        self.name = name
        self.start = start
        self.duration = duration
        self.width = width
        self.fps = fps
        self.formats = formats
    }

    public var effectiveFormats: [Kind] { formats ?? [.webp, .mp4] }

    func validate() throws(JobError) {
        try check((0.5...30).contains(duration ?? 3), "preview.duration is 0.5…30 seconds.")
        try check((32...1280).contains(width ?? 320), "preview.width is 32…1280.")
        try check((1...30).contains(fps ?? 10), "preview.fps is 1…30.")
        try check(
            !effectiveFormats.isEmpty && Set(effectiveFormats).count == effectiveFormats.count, "preview.formats lists webp and/or mp4 once each.")
    }
}
