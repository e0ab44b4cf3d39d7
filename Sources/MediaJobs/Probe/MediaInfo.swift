import Foundation

/// What ffprobe says about a source, reduced to what jobs and clients use. Stored as `probe.json`
/// and in every job's result.
public struct MediaInfo: Sendable, Equatable, Codable {
    public struct Stream: Sendable, Equatable, Codable {
        public var index: Int
        /// `video`, `audio`, `subtitle`, `data`.
        public var type: String
        public var codec: String?
        public var profile: String?
        public var level: Int?
        public var width: Int?
        public var height: Int?
        /// Clockwise display rotation in degrees (0, 90, 180, 270) from the display matrix.
        public var rotation: Int?
        public var frameRate: Double?
        public var bitRate: Int?
        public var channels: Int?
        public var sampleRate: Int?
        /// Cover art in an audio file: a picture, not video.
        public var attachedPicture: Bool?

        public init(index: Int, type: String, codec: String? = nil) {
            self.index = index
            self.type = type
            self.codec = codec
        }

        /// Width and height as displayed (rotation applied).
        public var displaySize: (width: Int, height: Int)? {
            guard let width, let height else { return nil }
            return (rotation ?? 0) % 180 == 90 ? (height, width) : (width, height)
        }
    }

    public var duration: Double
    /// ffprobe's format name, e.g. `mov,mp4,m4a,3gp,3g2,mj2`.
    public var container: String
    public var sizeBytes: Int64?
    public var bitRate: Int?
    public var streams: [Stream]

    public init(duration: Double, container: String, sizeBytes: Int64? = nil, bitRate: Int? = nil, streams: [Stream]) {
        self.duration = duration
        self.container = container
        self.sizeBytes = sizeBytes
        self.bitRate = bitRate
        self.streams = streams
    }

    /// The first real video stream (cover art excluded).
    public var video: Stream? { streams.first { $0.type == "video" && $0.attachedPicture != true && $0.codec != nil } }
    public var audio: Stream? { streams.first { $0.type == "audio" && $0.codec != nil } }

    /// Parses `ffprobe -print_format json -show_format -show_streams` output.
    public static func parse(ffprobeJSON bytes: [UInt8]) throws(JobError) -> MediaInfo {
        guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw JobError(.invalidMedia, "The source could not be read as media.", detail: "ffprobe printed no JSON")
        }
        let format = root["format"] as? [String: Any] ?? [:]
        let rawStreams = root["streams"] as? [[String: Any]] ?? []
        var streams: [Stream] = []
        for raw in rawStreams {
            var stream = Stream(index: Self.int(raw["index"]) ?? streams.count, type: raw["codec_type"] as? String ?? "unknown")
            stream.codec = (raw["codec_name"] as? String).flatMap { $0 == "none" || $0 == "unknown" ? nil : $0 }
            stream.profile = raw["profile"] as? String
            stream.level = Self.int(raw["level"]).flatMap { $0 > 0 ? $0 : nil }
            stream.width = Self.int(raw["width"]).flatMap { $0 > 0 ? $0 : nil }
            stream.height = Self.int(raw["height"]).flatMap { $0 > 0 ? $0 : nil }
            stream.bitRate = Self.int(raw["bit_rate"])
            stream.channels = Self.int(raw["channels"])
            stream.sampleRate = Self.int(raw["sample_rate"])
            if stream.type == "video" {
                stream.frameRate = Self.rate(raw["avg_frame_rate"]) ?? Self.rate(raw["r_frame_rate"])
                stream.rotation = Self.rotation(raw)
                if let disposition = raw["disposition"] as? [String: Any], Self.int(disposition["attached_pic"]) == 1 {
                    stream.attachedPicture = true
                }
            }
            streams.append(stream)
        }
        let duration = Self.double(format["duration"]) ?? rawStreams.compactMap { Self.double($0["duration"]) }.max() ?? 0
        return MediaInfo(
            duration: duration, container: format["format_name"] as? String ?? "unknown", sizeBytes: Self.int(format["size"]).map(Int64.init),
            bitRate: Self.int(format["bit_rate"]), streams: streams)
    }

    /// Refuses what is not decodable media or exceeds the limits, with a message that says which.
    public func check(_ limits: MediaLimits) throws(JobError) {
        guard video != nil || audio != nil else {
            throw JobError(.invalidMedia, "The source has no decodable audio or video stream.")
        }
        guard duration.isFinite, duration > 0 else { throw JobError(.invalidMedia, "The source has no duration; it is not playable media.") }
        if duration > limits.maxDurationSeconds {
            throw JobError(.sourceTooLarge, "The source lasts \(Int(duration)) s; the limit is \(Int(limits.maxDurationSeconds)) s.")
        }
        if let video, let width = video.width, let height = video.height {
            if max(width, height) > limits.maxSide || width * height > limits.maxPixels {
                throw JobError(
                    .sourceTooLarge, "The source is \(width)×\(height); the limit is \(limits.maxSide) pixels a side and \(limits.maxPixels) pixels.")
            }
        }
    }

    static func int(_ value: Any?) -> Int? {
        if let number = value as? NSNumber { return number.intValue }
        if let text = value as? String { return Int(text) ?? Double(text).map { Int($0) } }
        return nil
    }

    static func double(_ value: Any?) -> Double? {
        if let number = value as? NSNumber { return number.doubleValue }
        if let text = value as? String, let number = Double(text), number.isFinite { return number }
        return nil
    }

    /// `30000/1001` → 29.97; `0/0` → nil.
    static func rate(_ value: Any?) -> Double? {
        guard let text = value as? String else { return nil }
        let parts = text.split(separator: "/")
        guard parts.count == 2, let num = Double(parts[0]), let den = Double(parts[1]), num > 0, den > 0 else { return nil }
        return num / den
    }

    /// The clockwise display rotation: ffprobe reports the display matrix's counter-clockwise angle
    /// (`rotation: -90` for a phone video shot upright), older files a `rotate` tag.
    static func rotation(_ raw: [String: Any]) -> Int? {
        var degrees: Int?
        if let sideData = raw["side_data_list"] as? [[String: Any]] {
            for entry in sideData {
                if let value = double(entry["rotation"]) { degrees = Int((-value).rounded()) }
            }
        }
        if degrees == nil, let tags = raw["tags"] as? [String: Any], let value = int(tags["rotate"]) { degrees = value }
        guard let degrees else { return nil }
        let normalized = ((degrees % 360) + 360) % 360
        return normalized == 0 ? nil : normalized
    }
}

/// Safety limits on sources (configuration; conservative defaults).
public struct MediaLimits: Sendable, Equatable {
    public var maxDurationSeconds: Double = 4 * 3600
    public var maxSide = 8192
    public var maxPixels = 8192 * 4320
    public var maxSourceBytes: Int64 = 20 << 30

    public init() {}
}
