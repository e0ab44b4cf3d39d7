/// A static DASH manifest over the HLS ladder's CMAF segments (the same files, no second encode):
/// one video adaptation set with a representation per rung and one audio adaptation set, each a
/// `SegmentList` with a `SegmentTimeline` taken from the media playlists.
public enum DASHManifest {
    public struct Representation: Sendable {
        public var id: String
        /// Directory of the rendition relative to the manifest (e.g. `720p`).
        public var directory: String
        public var playlist: MediaPlaylist
        public var bandwidth: Int
        public var codecs: String
        public var width: Int?
        public var height: Int?
        public var frameRate: Double?

        public init(
            id: String, directory: String, playlist: MediaPlaylist, bandwidth: Int, codecs: String, width: Int? = nil, height: Int? = nil,
            frameRate: Double? = nil
        ) {
            self.id = id
            self.directory = directory
            self.playlist = playlist
            self.bandwidth = bandwidth
            self.codecs = codecs
            self.width = width
            self.height = height
            self.frameRate = frameRate
        }
    }

    public static func make(video: [Representation], audio: Representation?, duration: Double) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\" profiles=\"urn:mpeg:dash:profile:isoff-main:2011\""
        xml += " mediaPresentationDuration=\"\(isoDuration(duration))\" minBufferTime=\"PT2S\">\n"
        xml += "  <Period id=\"0\" start=\"PT0S\">\n"
        xml += "    <AdaptationSet id=\"0\" contentType=\"video\" mimeType=\"video/mp4\" segmentAlignment=\"true\" startWithSAP=\"1\">\n"
        for representation in video { xml += entry(representation) }
        xml += "    </AdaptationSet>\n"
        if let audio {
            xml +=
                "    <AdaptationSet id=\"1\" contentType=\"audio\" mimeType=\"audio/mp4\" segmentAlignment=\"true\" startWithSAP=\"1\" lang=\"und\">\n"
            xml += entry(audio)
            xml += "    </AdaptationSet>\n"
        }
        xml += "  </Period>\n</MPD>\n"
        return xml
    }

    static func entry(_ r: Representation) -> String {
        var xml = "      <Representation id=\"\(r.id)\" bandwidth=\"\(r.bandwidth)\" codecs=\"\(r.codecs)\""
        if let width = r.width, let height = r.height { xml += " width=\"\(width)\" height=\"\(height)\" sar=\"1:1\"" }
        if let fps = r.frameRate { xml += " frameRate=\"\(frameRate(fps))\"" }
        xml += ">\n        <SegmentList timescale=\"1000\">\n"
        if let initURI = r.playlist.initURI { xml += "          <Initialization sourceURL=\"\(r.directory)/\(initURI)\"/>\n" }
        xml += "          <SegmentTimeline>\n"
        var start = 0
        for segment in r.playlist.segments {
            let duration = Int((segment.duration * 1000).rounded())
            xml += "            <S t=\"\(start)\" d=\"\(duration)\"/>\n"
            start += duration
        }
        xml += "          </SegmentTimeline>\n"
        for segment in r.playlist.segments { xml += "          <SegmentURL media=\"\(r.directory)/\(segment.uri)\"/>\n" }
        xml += "        </SegmentList>\n      </Representation>\n"
        return xml
    }

    /// 29.97 → `30000/1001`; whole rates as integers.
    static func frameRate(_ fps: Double) -> String {
        if abs(fps.rounded() - fps) < 0.001 { return String(Int(fps.rounded())) }
        let ntsc = (fps * 1.001).rounded()
        if abs(ntsc / 1.001 - fps) < 0.001 { return "\(Int(ntsc) * 1000)/1001" }
        return "\(Int((fps * 1000).rounded()))/1000"
    }

    static func isoDuration(_ seconds: Double) -> String { "PT" + Format.decimal(seconds, places: 3) + "S" }
}
