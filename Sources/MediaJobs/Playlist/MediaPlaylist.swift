/// A media playlist's segments (duration and URI) and its init segment, parsed from text.
public struct MediaPlaylist: Sendable, Equatable {
    public struct Segment: Sendable, Equatable {
        public var duration: Double
        public var uri: String
    }

    public var targetDuration: Int?
    public var initURI: String?
    public var segments: [Segment]

    public static func parse(_ text: String) throws(JobError) -> MediaPlaylist {
        var playlist = MediaPlaylist(targetDuration: nil, initURI: nil, segments: [])
        var pendingDuration: Double?
        let lines = text.split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r\n" }.map { $0.trimmedSpaces() }
        guard lines.first == "#EXTM3U" else { throw JobError(.processingFailed, "FFmpeg wrote an invalid playlist.") }
        for line in lines {
            if line.hasPrefix("#EXT-X-TARGETDURATION:") {
                playlist.targetDuration = Int(line.dropFirst("#EXT-X-TARGETDURATION:".count))
            } else if line.hasPrefix("#EXT-X-MAP:") {
                playlist.initURI = Attributes.parse(String(line.dropFirst("#EXT-X-MAP:".count)))["URI"]
            } else if line.hasPrefix("#EXTINF:") {
                let value = line.dropFirst("#EXTINF:".count).prefix { $0 != "," }
                pendingDuration = Double(value)
            } else if !line.hasPrefix("#"), let duration = pendingDuration {
                playlist.segments.append(Segment(duration: duration, uri: line))
                pendingDuration = nil
            }
        }
        return playlist
    }

    /// Peak and average bit rate in bit/s from each segment's size (`sizes[uri]`, bytes); the peak
    /// is HLS's "peak segment bit rate".
    public func bitRates(sizes: [String: Int64]) -> (peak: Int, average: Int) {
        var peak = 0.0, bits = 0.0, seconds = 0.0
        for segment in segments where segment.duration > 0 {
            let size = Double(sizes[segment.uri] ?? 0) * 8
            // A last sliver of a segment (< 0.5 s) says little about the rate: averaged in, not a peak.
            if segment.duration >= 0.5 || segments.count == 1 { peak = max(peak, size / segment.duration) }
            bits += size
            seconds += segment.duration
        }
        let average = seconds > 0 ? bits / seconds : 0
        return (Int(max(peak, average).rounded(.up)), Int(average.rounded(.up)))
    }
}

/// HLS attribute lists: `KEY=value,KEY="quoted, with commas"`, order kept.
public struct Attributes: Sendable, Equatable {
    public var pairs: [(String, String)]

    public static func == (lhs: Attributes, rhs: Attributes) -> Bool {
        lhs.pairs.map { $0.0 + "=" + $0.1 } == rhs.pairs.map { $0.0 + "=" + $0.1 }
    }

    public subscript(key: String) -> String? {
        get { pairs.first { $0.0 == key }.map { Self.unquote($0.1) } }
    }

    /// Sets a raw value (quote it yourself when the attribute is quoted), replacing or appending.
    public mutating func set(_ key: String, raw value: String) {
        if let index = pairs.firstIndex(where: { $0.0 == key }) { pairs[index].1 = value } else { pairs.append((key, value)) }
    }

    public var text: String { pairs.map { "\($0.0)=\($0.1)" }.joined(separator: ",") }

    public static func parse(_ text: String) -> Attributes {
        var pairs: [(String, String)] = []
        var key = "", value = "", inKey = true, quoted = false
        for character in text {
            if inKey {
                if character == "=" { inKey = false } else if character != "," { key.append(character) }
            } else if character == "\"" {
                quoted.toggle()
                value.append(character)
            } else if character == "," && !quoted {
                pairs.append((key.trimmedSpaces(), value))
                key = ""; value = ""; inKey = true
            } else {
                value.append(character)
            }
        }
        if !key.isEmpty { pairs.append((key.trimmedSpaces(), value)) }
        return Attributes(pairs: pairs)
    }

    static func unquote(_ value: String) -> String {
        value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"") ? String(value.dropFirst().dropLast()) : value
    }
}
