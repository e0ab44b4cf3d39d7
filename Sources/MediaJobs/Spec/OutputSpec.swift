/// One entry of a job's `outputs`: what to make of the source. Decoded from JSON by its `type`.
public enum OutputSpec: Sendable, Equatable, Codable {
    case probe(ProbeOutput)
    case mp4(MP4Output)
    case hls(HLSOutput)
    case thumbnail(ThumbnailOutput)
    case poster(ThumbnailOutput)
    case storyboard(StoryboardOutput)
    case preview(PreviewOutput)
    case audio(AudioOutput)
    case waveform(WaveformOutput)

    public static let types = ["probe", "mp4", "hls", "thumbnail", "poster", "storyboard", "preview", "audio", "waveform"]

    public var type: String {
        switch self {
        case .probe: "probe"
        case .mp4: "mp4"
        case .hls: "hls"
        case .thumbnail: "thumbnail"
        case .poster: "poster"
        case .storyboard: "storyboard"
        case .preview: "preview"
        case .audio: "audio"
        case .waveform: "waveform"
        }
    }

    /// The name its files go under in the destination (the type's default unless `name` is given).
    public var name: String {
        switch self {
        case .probe(let o): o.name ?? "probe"
        case .mp4(let o): o.name ?? "video"
        case .hls(let o): o.name ?? "hls"
        case .thumbnail(let o): o.name ?? "thumbnails"
        case .poster(let o): o.name ?? "poster"
        case .storyboard(let o): o.name ?? "storyboard"
        case .preview(let o): o.name ?? "preview"
        case .audio(let o): o.name ?? "audio"
        case .waveform(let o): o.name ?? "waveform"
        }
    }

    /// Encoding whole videos: such jobs run in the (small) video worker pool.
    public var isHeavy: Bool {
        switch self {
        case .mp4, .hls, .preview: true
        default: false
        }
    }

    /// Outputs made of the video stream (an audio-only source cannot make them).
    public var needsVideo: Bool {
        switch self {
        case .mp4, .hls, .thumbnail, .poster, .storyboard, .preview: true
        default: false
        }
    }

    public var needsAudio: Bool {
        switch self {
        case .audio, .waveform: true
        default: false
        }
    }

    enum TypeKey: String, CodingKey { case type }

    public init(from decoder: any Decoder) throws {
        let type = try decoder.container(keyedBy: TypeKey.self).decode(String.self, forKey: .type)
        switch type {
        case "probe": self = .probe(try ProbeOutput(from: decoder))
        case "mp4": self = .mp4(try MP4Output(from: decoder))
        case "hls": self = .hls(try HLSOutput(from: decoder))
        case "thumbnail": self = .thumbnail(try ThumbnailOutput(from: decoder))
        case "poster": self = .poster(try ThumbnailOutput(from: decoder))
        case "storyboard": self = .storyboard(try StoryboardOutput(from: decoder))
        case "preview": self = .preview(try PreviewOutput(from: decoder))
        case "audio": self = .audio(try AudioOutput(from: decoder))
        case "waveform": self = .waveform(try WaveformOutput(from: decoder))
        default:
            throw JobError.invalidSpec("Unknown output type \"\(S3Location.clip(type))\"; known: \(Self.types.joined(separator: ", ")).")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TypeKey.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .probe(let o): try o.encode(to: encoder)
        case .mp4(let o): try o.encode(to: encoder)
        case .hls(let o): try o.encode(to: encoder)
        case .thumbnail(let o), .poster(let o): try o.encode(to: encoder)
        case .storyboard(let o): try o.encode(to: encoder)
        case .preview(let o): try o.encode(to: encoder)
        case .audio(let o): try o.encode(to: encoder)
        case .waveform(let o): try o.encode(to: encoder)
        }
    }

    /// Range checks with messages that say what is allowed.
    public func validate() throws(JobError) {
        switch self {
        case .probe: break
        case .mp4(let o): try o.validate()
        case .hls(let o): try o.validate()
        case .thumbnail(let o): try o.validate(single: false)
        case .poster(let o): try o.validate(single: true)
        case .storyboard(let o): try o.validate()
        case .preview(let o): try o.validate()
        case .audio(let o): try o.validate()
        case .waveform(let o): try o.validate()
        }
        let name = self.name
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }),
            !name.hasPrefix(".")
        else { throw .invalidSpec("An output name is 1–64 characters of A–Z a–z 0–9 - _ . and does not start with a dot.") }
    }
}

func check(_ condition: Bool, _ message: @autoclosure () -> String) throws(JobError) {
    if !condition { throw .invalidSpec(message()) }
}

/// ffprobe metadata as `probe.json`.
public struct ProbeOutput: Sendable, Equatable, Codable {
    public var name: String?
    public init(name: String? = nil) { self.name = name }
}
