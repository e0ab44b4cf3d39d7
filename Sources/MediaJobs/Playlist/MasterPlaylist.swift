/// What was measured about one video rendition after encoding.
public struct VariantFacts: Sendable, Equatable {
    public var uri: String
    public var width: Int
    public var height: Int
    public var frameRate: Double
    /// e.g. `avc1.640028`.
    public var videoCodec: String
    public var peakBitRate: Int
    public var averageBitRate: Int

    public init(uri: String, width: Int, height: Int, frameRate: Double, videoCodec: String, peakBitRate: Int, averageBitRate: Int) {
        self.uri = uri
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.videoCodec = videoCodec
        self.peakBitRate = peakBitRate
        self.averageBitRate = averageBitRate
    }
}

/// The shared audio rendition's facts.
public struct AudioFacts: Sendable, Equatable {
    public var codec: String
    public var peakBitRate: Int
    public var averageBitRate: Int

    public init(codec: String = "mp4a.40.2", peakBitRate: Int, averageBitRate: Int) {
        self.codec = codec
        self.peakBitRate = peakBitRate
        self.averageBitRate = averageBitRate
    }
}

/// Rewrites FFmpeg's master playlist with measured facts: `BANDWIDTH` never below the measured peak
/// (video peak + audio peak, since both play together), `AVERAGE-BANDWIDTH`, `CODECS`,
/// `RESOLUTION` and `FRAME-RATE`; the audio-only variant FFmpeg lists is dropped (the audio is a
/// rendition of every video variant), and variants are ordered highest first.
public enum MasterPlaylist {
    public static func rewrite(_ text: String, variants: [VariantFacts], audio: AudioFacts?) throws(JobError) -> String {
        let lines = text.split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r\n" }.map { $0.trimmedSpaces() }
        guard lines.first == "#EXTM3U" else { throw JobError(.processingFailed, "FFmpeg wrote an invalid master playlist.") }
        var header: [String] = []
        var entries: [(attributes: Attributes, uri: String)] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if line.hasPrefix("#EXT-X-STREAM-INF:"), index + 1 < lines.count {
                entries.append((Attributes.parse(String(line.dropFirst("#EXT-X-STREAM-INF:".count))), lines[index + 1]))
                index += 2
                continue
            }
            if !line.isEmpty && line != "#EXT-X-INDEPENDENT-SEGMENTS" { header.append(line) }
            index += 1
        }
        var output: [(Int, String)] = []
        for (attributes, uri) in entries {
            guard let facts = variants.first(where: { $0.uri == uri }) else { continue }  // the audio-only entry
            var rewritten = attributes
            let nominal = Int(attributes["BANDWIDTH"] ?? "") ?? 0
            let peak = facts.peakBitRate + (audio?.peakBitRate ?? 0)
            let bandwidth = max(nominal, peak)
            rewritten.set("BANDWIDTH", raw: String(bandwidth))
            rewritten.set("AVERAGE-BANDWIDTH", raw: String(facts.averageBitRate + (audio?.averageBitRate ?? 0)))
            rewritten.set("CODECS", raw: "\"" + ([facts.videoCodec] + (audio.map { [$0.codec] } ?? [])).joined(separator: ",") + "\"")
            rewritten.set("RESOLUTION", raw: "\(facts.width)x\(facts.height)")
            rewritten.set("FRAME-RATE", raw: Format.fixed(facts.frameRate, places: 3))
            output.append((bandwidth, "#EXT-X-STREAM-INF:" + rewritten.text + "\n" + uri))
        }
        guard !output.isEmpty else { throw JobError(.processingFailed, "FFmpeg's master playlist lists no video variant.") }
        var result = "#EXTM3U\n"
        let version = header.first { $0.hasPrefix("#EXT-X-VERSION:") }
        if let version { result += version + "\n" }
        result += "#EXT-X-INDEPENDENT-SEGMENTS\n"
        for line in header where line != "#EXTM3U" && line != version { result += line + "\n" }
        result += "\n" + output.sorted { $0.0 > $1.0 }.map(\.1).joined(separator: "\n\n") + "\n"
        return result
    }

    /// RFC 6381 codec string for H.264 from ffprobe's profile name and level.
    public static func avcCodec(profile: String?, level: Int) -> String {
        let (idc, constraints): (Int, Int) =
            switch (profile ?? "High").lowercased() {
            case "constrained baseline": (66, 0xC0)
            case "baseline": (66, 0x00)
            case "main": (77, 0x40)
            case "high 10": (110, 0x00)
            default: (100, 0x00)
            }
        return "avc1." + hex(idc) + hex(constraints) + hex(level)
    }

    static func hex(_ value: Int) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[(value >> 4) & 15], digits[value & 15]])
    }
}
