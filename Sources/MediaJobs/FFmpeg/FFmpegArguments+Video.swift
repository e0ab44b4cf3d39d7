extension FFmpegArguments {
    /// H.264 High + AAC MP4, `+faststart`, CRF capped by a maxrate.
    public static func mp4(_ spec: MP4Output, info: MediaInfo, output: String) throws(JobError) -> FFmpegCommand {
        let video = try requireVideo(info)
        let fps = video.frameRate ?? 30
        let (width, height) = video.displaySize ?? (1280, 720)
        let rung = Ladder.fit(maxLines: spec.maxHeight ?? 1080, sourceWidth: width, sourceHeight: height, frameRate: fps)
        let maxrate = spec.maxrateKbps ?? rung.bitrateKbps * 3 / 2
        let level = Ladder.h264Level(width: rung.width, height: rung.height, frameRate: fps, maxrateKbps: maxrate)
        var args = prelude + progress + input() + ["-map", "0:v:0"]
        if info.audio != nil { args += ["-map", "0:a:0"] }
        args += ["-vf", scale(rung.width, rung.height)] + x264(preset: spec.preset)
        args += ["-profile:v", "high", "-level:v", levelString(level), "-crf", String(spec.crf ?? 23)]
        args += ["-maxrate", "\(maxrate)k", "-bufsize", "\(maxrate * 2)k"]
        if info.audio != nil { args += ["-c:a", "aac", "-b:a", "\(spec.audioBitrateKbps ?? 128)k", "-ac", "2"] }
        args += stripMetadata + ["-movflags", "+faststart", "-f", "mp4", output]
        return FFmpegCommand(arguments: args, progressSeconds: info.duration)
    }

    /// `40` → `4.0`.
    static func levelString(_ level: Int) -> String { "\(level / 10).\(level % 10)" }

    static func requireVideo(_ info: MediaInfo) throws(JobError) -> MediaInfo.Stream {
        guard let video = info.video else { throw JobError(.missingStream, "This output needs a video stream; the source has none.") }
        return video
    }

    /// The rungs an HLS output will have for this source.
    public static func hlsRungs(_ spec: HLSOutput, info: MediaInfo) throws(JobError) -> [Rung] {
        let video = try requireVideo(info)
        let (width, height) = video.displaySize ?? (1280, 720)
        return Ladder.plan(rungs: spec.effectiveRungs, sourceWidth: width, sourceHeight: height, frameRate: video.frameRate ?? 30)
    }

    /// The whole ladder in one run: decode once, `split`, scale per rung, one shared audio
    /// rendition, keyframes forced on the segment grid in every rung (aligned switching points).
    /// Runs with the output directory as working directory.
    public static func hls(_ spec: HLSOutput, info: MediaInfo, source: String) throws(JobError) -> FFmpegCommand {
        let video = try requireVideo(info)
        let rungs = try hlsRungs(spec, info: info)
        let fps = video.frameRate ?? 30
        let segment = spec.effectiveSegmentSeconds
        let gop = max(1, Int((fps * segment).rounded()))
        let graph = ladderGraph(rungs)
        var args = prelude + progress + input(path: source) + ["-filter_complex", graph]
        for index in rungs.indices { args += ["-map", "[v\(index)]"] }
        let hasAudio = info.audio != nil
        if hasAudio { args += ["-map", "0:a:0"] }
        args += x264(preset: spec.preset)
        args += [
            "-sc_threshold", "0", "-g", String(gop), "-keyint_min", String(gop), "-force_key_frames",
            "expr:gte(t,n_forced*\(Format.decimal(segment, places: 3)))",
        ]
        for (index, rung) in rungs.enumerated() {
            let level = Ladder.h264Level(width: rung.width, height: rung.height, frameRate: fps, maxrateKbps: rung.maxrateKbps)
            args += [
                "-profile:v:\(index)", "high", "-level:v:\(index)", levelString(level), "-b:v:\(index)", "\(rung.bitrateKbps)k",
                "-maxrate:v:\(index)", "\(rung.maxrateKbps)k", "-bufsize:v:\(index)", "\(rung.bufsizeKbps)k",
            ]
        }
        if hasAudio { args += ["-c:a", "aac", "-b:a", "\(spec.audioBitrateKbps ?? 128)k", "-ac", "2", "-ar", "48000"] }
        args += stripMetadata
        args += ["-f", "hls", "-hls_time", Format.decimal(segment, places: 3), "-hls_playlist_type", "vod", "-hls_flags", "independent_segments"]
        switch spec.effectiveContainer {
        case .cmaf:
            args += ["-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", "%v/seg_%05d.m4s"]
        case .ts:
            args += ["-hls_segment_type", "mpegts", "-hls_segment_filename", "%v/seg_%05d.ts"]
        }
        var map = rungs.map { "v:\(rungs.firstIndex(of: $0)!),\(hasAudio ? "agroup:audio," : "")name:\($0.name)" }
        if hasAudio { map.append("a:0,agroup:audio,name:audio,default:yes") }
        args += ["-master_pl_name", "master.m3u8", "-var_stream_map", map.joined(separator: " ")]
        args += ["%v/index.m3u8"]
        return FFmpegCommand(arguments: args, progressSeconds: info.duration)
    }

    /// Decode once, then a cascade: each rung is scaled from the rung above it and `split` between
    /// its encoder and the next scale (a rung at the source's size passes through unscaled), which
    /// costs less than scaling every rung from the full-size frame.
    static func ladderGraph(_ rungs: [Rung]) -> String {
        var steps: [String] = []
        var input = "[0:v:0]"
        for (index, rung) in rungs.enumerated() {
            let last = index == rungs.count - 1
            steps.append(input + scale(rung.width, rung.height) + (last ? "[v\(index)]" : ",split=2[v\(index)][c\(index)]"))
            input = "[c\(index)]"
        }
        return steps.joined(separator: ";")
    }

    /// Stills: one input per time, each seeked before decoding, one frame each; all in one process.
    public static func stills(times: [Double], format: ImageFormat, width: Int, height: Int, outputs: [String]) -> FFmpegCommand {
        var args = prelude
        for time in times { args += input(seek: time) }
        for (index, output) in outputs.enumerated() {
            args += [
                "-map", "\(index):v:0", "-frames:v", "1", "-vf",
                "scale=\(width):\(height):force_original_aspect_ratio=increase,crop=\(width):\(height),setsar=1",
            ]
            args += imageCodec(format) + ["-update", "1", output]
        }
        return FFmpegCommand(arguments: args)
    }

    static func imageCodec(_ format: ImageFormat) -> [String] {
        switch format {
        case .jpg: ["-c:v", "mjpeg", "-q:v", "3", "-pix_fmt", "yuvj420p", "-f", "image2"]
        case .webp: ["-c:v", "libwebp", "-quality", "80", "-f", "image2"]
        }
    }

    /// Size of a still: explicit width/height (both: exactly that, cropped to fill), one of them
    /// (aspect kept), or the source size capped at 1080 lines.
    public static func stillSize(_ spec: ThumbnailOutput, info: MediaInfo) throws(JobError) -> (width: Int, height: Int) {
        let video = try requireVideo(info)
        let (sw, sh) = video.displaySize ?? (1280, 720)
        switch (spec.width, spec.height) {
        case let (width?, height?): return (Ladder.even(Double(width)), Ladder.even(Double(height)))
        case let (width?, nil): return (Ladder.even(Double(width)), Ladder.even(Double(width) * Double(sh) / Double(sw)))
        case let (nil, height?): return (Ladder.even(Double(height) * Double(sw) / Double(sh)), Ladder.even(Double(height)))
        case (nil, nil):
            let rung = Ladder.fit(maxLines: 1080, sourceWidth: sw, sourceHeight: sh, frameRate: 30)
            return (rung.width, rung.height)
        }
    }

    /// A short silent loop as animated WebP and/or MP4, from one decode.
    public static func preview(_ spec: PreviewOutput, info: MediaInfo, outputs: [(PreviewOutput.Kind, String)]) throws(JobError) -> FFmpegCommand {
        let video = try requireVideo(info)
        let (sw, sh) = video.displaySize ?? (1280, 720)
        let start = (spec.start ?? .seconds(0)).resolve(duration: info.duration)
        let duration = min(spec.duration ?? 3, max(0.1, info.duration - start))
        let width = Ladder.even(Double(min(spec.width ?? 320, sw)))
        let height = Ladder.even(Double(width) * Double(sh) / Double(sw))
        let fps = spec.fps ?? 10
        var args = prelude + progress + input(seek: start, duration: duration)
        for (kind, output) in outputs {
            args += ["-map", "0:v:0", "-an", "-vf", "fps=\(fps),scale=\(width):\(height):flags=lanczos,setsar=1"] + stripMetadata
            switch kind {
            case .webp: args += ["-c:v", "libwebp", "-quality", "70", "-loop", "0", "-f", "webp", output]
            case .mp4: args += x264(preset: "veryfast") + ["-crf", "28", "-movflags", "+faststart", "-f", "mp4", output]
            }
        }
        return FFmpegCommand(arguments: args, progressSeconds: duration)
    }
}
