/// An audio transcode (from an audio file or extracted from a video).
public struct AudioOutput: Sendable, Equatable, Codable {
    public enum Codec: String, Sendable, Codable, CaseIterable {
        case mp3, aac, opus, vorbis
        public var fileExtension: String {
            switch self {
            case .mp3: "mp3"
            case .aac: "m4a"
            case .opus: "opus"
            case .vorbis: "ogg"
            }
        }
        public var encoder: String {
            switch self {
            case .mp3: "libmp3lame"
            case .aac: "aac"
            case .opus: "libopus"
            case .vorbis: "libvorbis"
            }
        }
        public var defaultBitrateKbps: Int { self == .opus ? 96 : 128 }
    }

    public var name: String?
    public var format: Codec
    public var bitrateKbps: Int?
    /// Hz; default: the source's (Opus always 48000).
    public var sampleRate: Int?
    /// 1 or 2; default: the source's, at most 2.
    public var channels: Int?
    /// EBU R128 two-pass `loudnorm`.
    public var loudnorm: Bool?
    /// Integrated loudness target in LUFS; default −16.
    public var targetLufs: Double?

    public init(name: String? = nil, format: Codec, bitrateKbps: Int? = nil, sampleRate: Int? = nil, channels: Int? = nil, loudnorm: Bool? = nil) {
        self.name = name
        self.format = format
        self.bitrateKbps = bitrateKbps
        self.sampleRate = sampleRate
        self.channels = channels
        self.loudnorm = loudnorm
    }

    static let sampleRates = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000]

    func validate() throws(JobError) {
        try check((8...512).contains(bitrateKbps ?? 128), "audio.bitrateKbps is 8…512.")
        if let sampleRate {
            try check(
                Self.sampleRates.contains(sampleRate), "audio.sampleRate is one of \(Self.sampleRates.map(String.init).joined(separator: ", ")).")
        }
        try check((1...2).contains(channels ?? 2), "audio.channels is 1 or 2.")
        try check((-70 ... -5).contains(targetLufs ?? -16), "audio.targetLufs is −70…−5.")
    }
}

/// Peaks for waveform players in BBC audiowaveform's JSON format (version 2).
public struct WaveformOutput: Sendable, Equatable, Codable {
    public var name: String?
    /// Input samples per output pixel; default 256 (audiowaveform's default zoom).
    public var samplesPerPixel: Int?
    /// 8 or 16; default 8.
    public var bits: Int?

    public init(name: String? = nil, samplesPerPixel: Int? = nil, bits: Int? = nil) {
        self.name = name
        self.samplesPerPixel = samplesPerPixel
        self.bits = bits
    }

    func validate() throws(JobError) {
        try check((16...1_000_000).contains(samplesPerPixel ?? 256), "waveform.samplesPerPixel is 16…1000000.")
        try check([8, 16].contains(bits ?? 8), "waveform.bits is 8 or 16.")
    }
}
