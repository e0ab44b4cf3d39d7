import MediaJobs
import Testing

@Suite struct PlaylistTests {
    /// What FFmpeg 5.1 writes for a two-rung ladder with a shared audio rendition.
    static let ffmpegMaster = """
        #EXTM3U
        #EXT-X-VERSION:7
        #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="group_audio",NAME="audio_2",DEFAULT=YES,URI="audio/index.m3u8"
        #EXT-X-STREAM-INF:BANDWIDTH=1020800,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2",AUDIO="group_audio"
        360p/index.m3u8

        #EXT-X-STREAM-INF:BANDWIDTH=580800,RESOLUTION=426x240,CODECS="avc1.64001e,mp4a.40.2",AUDIO="group_audio"
        240p/index.m3u8

        #EXT-X-STREAM-INF:BANDWIDTH=140800,CODECS="mp4a.40.2",AUDIO="group_audio"
        audio/index.m3u8

        """

    static let facts = [
        VariantFacts(
            uri: "360p/index.m3u8", width: 640, height: 360, frameRate: 29.97, videoCodec: "avc1.64001e", peakBitRate: 1_200_000,
            averageBitRate: 700_000),
        VariantFacts(
            uri: "240p/index.m3u8", width: 426, height: 240, frameRate: 29.97, videoCodec: "avc1.64001e", peakBitRate: 300_000,
            averageBitRate: 250_000),
    ]

    @Test func bandwidthIsRaisedToTheMeasuredPeakOfVideoPlusAudio() throws {
        let text = try MasterPlaylist.rewrite(
            Self.ffmpegMaster, variants: Self.facts, audio: AudioFacts(peakBitRate: 140_000, averageBitRate: 130_000))
        let lines = text.split(separator: "\n").map(String.init)
        let infs = lines.filter { $0.hasPrefix("#EXT-X-STREAM-INF:") }
        #expect(infs.count == 2)  // the audio-only entry is gone
        #expect(infs[0].contains("BANDWIDTH=1340000"))  // 1.2 M + 140 k > nominal 1020800
        #expect(infs[0].contains("AVERAGE-BANDWIDTH=830000"))
        #expect(infs[0].contains("FRAME-RATE=29.970"))
        #expect(infs[0].contains("RESOLUTION=640x360"))
        #expect(infs[0].contains("CODECS=\"avc1.64001e,mp4a.40.2\""))
        #expect(infs[0].contains("AUDIO=\"group_audio\""))
        #expect(infs[1].contains("BANDWIDTH=580800"))  // nominal already above 300k + 140k: kept
        #expect(lines[0] == "#EXTM3U" && lines[1] == "#EXT-X-VERSION:7" && lines[2] == "#EXT-X-INDEPENDENT-SEGMENTS")
        #expect(lines.contains { $0.hasPrefix("#EXT-X-MEDIA:TYPE=AUDIO") })
        #expect(lines[lines.firstIndex(of: infs[0])! + 1] == "360p/index.m3u8")
    }

    @Test func aMasterWithoutVideoVariantsIsAnError() {
        #expect(throws: JobError.self) { try MasterPlaylist.rewrite("#EXTM3U\n", variants: [], audio: nil) }
        #expect(throws: JobError.self) { try MasterPlaylist.rewrite("not a playlist", variants: Self.facts, audio: nil) }
    }

    @Test func mediaPlaylistsGivePeakAndAverageRates() throws {
        let text = """
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-TARGETDURATION:4
            #EXT-X-MAP:URI="init_0.mp4"
            #EXTINF:4.004000,
            seg_00000.m4s
            #EXTINF:4.004000,
            seg_00001.m4s
            #EXTINF:0.200000,
            seg_00002.m4s
            #EXT-X-ENDLIST
            """
        let playlist = try MediaPlaylist.parse(text)
        #expect(playlist.targetDuration == 4)
        #expect(playlist.initURI == "init_0.mp4")
        #expect(playlist.segments.map(\.uri) == ["seg_00000.m4s", "seg_00001.m4s", "seg_00002.m4s"])
        let rates = playlist.bitRates(sizes: ["seg_00000.m4s": 500_500, "seg_00001.m4s": 1_001_000, "seg_00002.m4s": 100_000])
        #expect(abs(rates.peak - 2_000_000) <= 1)  // the 0.2 s sliver is no peak
        #expect(rates.average == Int((1_601_500.0 * 8 / 8.208).rounded(.up)))
    }

    @Test(arguments: [("High", 40, "avc1.640028"), ("Main", 31, "avc1.4d401f"), ("Constrained Baseline", 30, "avc1.42c01e")])
    func avcCodecStrings(profile: String, level: Int, expected: String) {
        #expect(MasterPlaylist.avcCodec(profile: profile, level: level) == expected)
    }

    @Test func attributeListsKeepQuotedCommas() {
        let attributes = Attributes.parse(#"BANDWIDTH=1,CODECS="avc1.64001e,mp4a.40.2",AUDIO="a""#)
        #expect(attributes["CODECS"] == "avc1.64001e,mp4a.40.2")
        #expect(attributes["AUDIO"] == "a")
        #expect(attributes.pairs.count == 3)
    }

    @Test func dashManifestListsTheSameSegments() throws {
        let playlist = try MediaPlaylist.parse("#EXTM3U\n#EXT-X-MAP:URI=\"init_0.mp4\"\n#EXTINF:4.004,\nseg_00000.m4s\n#EXTINF:2,\nseg_00001.m4s\n")
        let mpd = DASHManifest.make(
            video: [
                DASHManifest.Representation(
                    id: "720p", directory: "720p", playlist: playlist, bandwidth: 3_000_000, codecs: "avc1.64001f", width: 1280, height: 720,
                    frameRate: 29.97)
            ],
            audio: nil, duration: 6.004)
        #expect(mpd.contains(#"<Initialization sourceURL="720p/init_0.mp4"/>"#))
        #expect(mpd.contains(#"<S t="0" d="4004"/>"#) && mpd.contains(#"<S t="4004" d="2000"/>"#))
        #expect(mpd.contains(#"frameRate="30000/1001""#))
        #expect(mpd.contains(#"mediaPresentationDuration="PT6.004S""#))
    }

    @Test func progressComesFromOutTimeInChunksOfAnySize() {
        var parser = ProgressParser(totalSeconds: 4)
        let text = "frame=10\nout_time_us=1000000\nprogress=continue\nout_time_us=2000000\nprogress=end\n"
        var changes = 0
        for byte in text.utf8 where parser.feed([byte]) { changes += 1 }
        #expect(changes == 2)
        #expect(parser.fraction == 0.5)
        #expect(parser.ended)
        let changed = parser.feed(Array("out_time_us=N/A\n".utf8))
        #expect(!changed)
    }
}
