import MediaJobs
import Testing

@Suite struct FFmpegArgumentTests {
    static func info(width: Int? = 1920, height: Int? = 1080, rotation: Int? = nil, audio: Bool = true, duration: Double = 4) -> MediaInfo {
        var streams: [MediaInfo.Stream] = []
        if let width, let height {
            var video = MediaInfo.Stream(index: 0, type: "video", codec: "h264")
            video.width = width
            video.height = height
            video.rotation = rotation
            video.frameRate = 30000.0 / 1001
            streams.append(video)
        }
        if audio {
            var stream = MediaInfo.Stream(index: streams.count, type: "audio", codec: "aac")
            stream.sampleRate = 48000
            stream.channels = 2
            streams.append(stream)
        }
        return MediaInfo(duration: duration, container: "mov,mp4,m4a,3gp,3g2,mj2", streams: streams)
    }

    /// The value after `flag` (the first occurrence).
    static func value(_ args: [String], _ flag: String) -> String? {
        args.firstIndex(of: flag).flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil }
    }

    @Test func everyInputIsRestrictedToFilesAndKnownDemuxers() throws {
        let commands = [
            try FFmpegArguments.hls(HLSOutput(), info: Self.info(), source: "../../source"),
            try FFmpegArguments.mp4(MP4Output(), info: Self.info(), output: "out/video.mp4"),
            FFmpegArguments.stills(times: [1, 2], format: .jpg, width: 320, height: 180, outputs: ["a.jpg", "b.jpg"]),
            FFmpegArguments.probe(into: "probe.json"),
        ]
        for command in commands {
            let inputs = command.arguments.indices.filter { command.arguments[$0] == "-i" }
            #expect(!inputs.isEmpty)
            for index in inputs {
                let before = Array(command.arguments[..<index])
                let whitelist = before.lastIndex(of: "-protocol_whitelist")
                #expect(whitelist != nil && before[whitelist! + 1] == "file")
                let formats = before.lastIndex(of: "-format_whitelist")
                #expect(formats != nil && !before[formats! + 1].contains("hls") && !before[formats! + 1].contains("concat"))
            }
        }
    }

    @Test func hlsIsOneRunThatSplitsScalesAndMapsEveryRung() throws {
        let command = try FFmpegArguments.hls(HLSOutput(), info: Self.info(), source: "../../source")
        let args = command.arguments
        #expect(
            Self.value(args, "-filter_complex")
                == "[0:v:0]scale=1920:1080:flags=bicubic,setsar=1,split=2[v0][c0];[c0]scale=1280:720:flags=bicubic,setsar=1,split=2[v1][c1];"
                + "[c1]scale=854:480:flags=bicubic,setsar=1,split=2[v2][c2];[c2]scale=640:360:flags=bicubic,setsar=1[v3]")
        #expect(args.filter { $0 == "-map" }.count == 5)
        #expect(
            Self.value(args, "-var_stream_map")
                == "v:0,agroup:audio,name:1080p v:1,agroup:audio,name:720p v:2,agroup:audio,name:480p v:3,agroup:audio,name:360p a:0,agroup:audio,name:audio,default:yes"
        )
        #expect(Self.value(args, "-force_key_frames") == "expr:gte(t,n_forced*4)")
        #expect(Self.value(args, "-sc_threshold") == "0")
        #expect(Self.value(args, "-g") == "120")
        #expect(Self.value(args, "-hls_segment_type") == "fmp4")
        #expect(Self.value(args, "-master_pl_name") == "master.m3u8")
        #expect(Self.value(args, "-b:v:0") == "5000k")
        #expect(Self.value(args, "-level:v:0") == "4.0")
        #expect(Self.value(args, "-progress") == "pipe:1")
        #expect(args.contains("-nostats"))
        #expect(args.filter { $0 == "-i" }.count == 1)
        #expect(args.last == "%v/index.m3u8")
        #expect(command.progressSeconds == 4)
    }

    @Test func hlsWithoutAudioMapsNoAudioAndTsOnRequest() throws {
        var spec = HLSOutput(rungs: [720, 360], container: .ts)
        spec.segmentSeconds = 2
        let args = try FFmpegArguments.hls(spec, info: Self.info(width: 1280, height: 720, audio: false), source: "s").arguments
        #expect(!args.contains("0:a:0"))
        #expect(Self.value(args, "-var_stream_map") == "v:0,name:720p v:1,name:360p")
        #expect(Self.value(args, "-hls_segment_type") == "mpegts")
        #expect(Self.value(args, "-hls_segment_filename") == "%v/seg_%05d.ts")
        #expect(Self.value(args, "-g") == "60")
    }

    @Test func aSingleRungNeedsNoSplit() throws {
        let args = try FFmpegArguments.hls(HLSOutput(), info: Self.info(width: 426, height: 240), source: "s").arguments
        #expect(Self.value(args, "-filter_complex") == "[0:v:0]scale=426:240:flags=bicubic,setsar=1[v0]")
    }

    @Test func videoOutputsOfAnAudioFileAreRefused() {
        #expect(throws: JobError.self) { try FFmpegArguments.hls(HLSOutput(), info: Self.info(width: nil, height: nil), source: "s") }
    }

    @Test func mp4CapsItsHeightAtTheSourceAndUsesFaststart() throws {
        let args = try FFmpegArguments.mp4(MP4Output(maxHeight: 1080), info: Self.info(width: 1280, height: 720), output: "o.mp4").arguments
        #expect(Self.value(args, "-vf") == "scale=1280:720:flags=bicubic,setsar=1")
        #expect(Self.value(args, "-movflags") == "+faststart")
        #expect(Self.value(args, "-profile:v") == "high")
        #expect(Self.value(args, "-crf") == "23")
        #expect(Self.value(args, "-maxrate") == "4200k")
    }

    @Test func stillsSeekBeforeDecodingEachTime() {
        let args = FFmpegArguments.stills(times: [0.5, 2], format: .webp, width: 320, height: 180, outputs: ["a.webp", "b.webp"]).arguments
        let seeks = args.indices.filter { args[$0] == "-ss" }
        let inputs = args.indices.filter { args[$0] == "-i" }
        #expect(seeks.count == 2 && inputs.count == 2 && seeks[0] < inputs[0] && seeks[1] < inputs[1])
        #expect(args[seeks[0] + 1] == "0.5" && args[seeks[1] + 1] == "2")
        #expect(args.contains("libwebp"))
    }

    @Test func portraitStillsKeepTheDisplayAspect() throws {
        let size = try FFmpegArguments.stillSize(ThumbnailOutput(width: 180), info: Self.info(width: 1280, height: 720, rotation: 90))
        #expect(size.width == 180 && size.height == 320)
    }

    @Test func audioTranscodesMapOnlyAudioAndForceOpusTo48k() throws {
        let args = try FFmpegArguments.audio(AudioOutput(format: .opus, sampleRate: 44100), info: Self.info(), measured: nil, output: "a.opus")
            .arguments
        #expect(Self.value(args, "-c:a") == "libopus")
        #expect(Self.value(args, "-ar") == "48000")
        #expect(args.contains("-vn"))
        #expect(Self.value(args, "-f") == "ogg")
    }

    @Test func loudnormSecondPassUsesTheMeasurement() throws {
        let stderr = """
            [Parsed_loudnorm_0 @ 0x1] 
            {
            \t"input_i" : "-27.61",
            \t"input_tp" : "-4.47",
            \t"input_lra" : "18.06",
            \t"input_thresh" : "-39.20",
            \t"output_i" : "-16.58",
            \t"target_offset" : "0.58"
            }
            """
        let measured = try #require(LoudnessMeasurement.parse(stderr: stderr))
        #expect(measured.inputI == "-27.61")
        var spec = AudioOutput(format: .mp3)
        spec.loudnorm = true
        let args = try FFmpegArguments.audio(spec, info: Self.info(), measured: measured, output: "a.mp3").arguments
        #expect(Self.value(args, "-af")!.contains("measured_I=-27.61"))
        #expect(Self.value(args, "-af")!.contains("I=-16"))
        #expect(
            LoudnessMeasurement.parse(
                stderr: "{\"input_i\" : \"-inf\", \"input_tp\": \"-inf\", \"input_lra\": \"0\", \"input_thresh\": \"-70\", \"target_offset\": \"0\"}")
                == nil)
    }

    @Test func storyboardTilesComeFromKeyframeSeeks() throws {
        let plan = try StoryboardPlan.make(StoryboardOutput(interval: 1, columns: 2, width: 160), info: Self.info(duration: 3.5))
        #expect(plan.tiles.count == 4 && plan.columns == 2 && plan.rows == 2)
        #expect(plan.tileWidth == 160 && plan.tileHeight == 90)
        let args = FFmpegArguments.storyboard(plan, output: "sprite.jpg").arguments
        #expect(args.filter { $0 == "-skip_frame" }.count == 4)
        #expect(Self.value(args, "-filter_complex")!.hasSuffix("concat=n=4:v=1:a=0,tile=2x2[sprite]"))
        let vtt = plan.webVTT(spriteName: "sprite.jpg")
        #expect(vtt.hasPrefix("WEBVTT\n"))
        #expect(vtt.contains("00:00:03.000 --> 00:00:03.500\nsprite.jpg#xywh=160,90,160,90"))
    }
}
