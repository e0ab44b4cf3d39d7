extension FFmpegArguments {
    static func requireAudio(_ info: MediaInfo) throws(JobError) -> MediaInfo.Stream {
        guard let audio = info.audio else { throw JobError(.missingStream, "This output needs an audio stream; the source has none.") }
        return audio
    }

    /// First `loudnorm` pass: measures integrated loudness, true peak and range (printed as JSON on stderr).
    public static func loudnessMeasure(_ spec: AudioOutput, info: MediaInfo) throws(JobError) -> FFmpegCommand {
        _ = try requireAudio(info)
        let args =
            ["-hide_banner", "-nostdin", "-nostats", "-loglevel", "info"] + progress + input()
            + ["-map", "0:a:0", "-vn", "-af", "loudnorm=\(loudnormTarget(spec)):print_format=json", "-f", "null", "-"]
        var command = FFmpegCommand(arguments: args, progressSeconds: info.duration)
        command.captureStandardError = true
        return command
    }

    static func loudnormTarget(_ spec: AudioOutput) -> String {
        "I=\(Format.decimal(spec.targetLufs ?? -16, places: 1)):TP=-1.5:LRA=11"
    }

    /// An audio transcode; with a measurement, the second `loudnorm` pass (linear where possible).
    public static func audio(_ spec: AudioOutput, info: MediaInfo, measured: LoudnessMeasurement?, output: String) throws(JobError) -> FFmpegCommand {
        let audio = try requireAudio(info)
        var args = prelude + progress + input() + ["-map", "0:a:0", "-vn", "-sn", "-dn"]
        var filters: [String] = []
        if spec.loudnorm == true, let measured {
            filters.append(
                "loudnorm=\(loudnormTarget(spec)):measured_I=\(measured.inputI):measured_TP=\(measured.inputTP):measured_LRA=\(measured.inputLRA)"
                    + ":measured_thresh=\(measured.inputThresh):offset=\(measured.targetOffset):linear=true:print_format=none")
        }
        let sourceRate = audio.sampleRate ?? 48000
        // loudnorm works at 192 kHz internally; always resample to a real rate afterwards.
        var rate = spec.sampleRate ?? (AudioOutput.sampleRates.contains(sourceRate) ? sourceRate : 48000)
        if spec.format == .opus { rate = 48000 }
        if !filters.isEmpty { args += ["-af", filters.joined(separator: ",")] }
        args += ["-c:a", spec.format.encoder, "-b:a", "\(spec.bitrateKbps ?? spec.format.defaultBitrateKbps)k", "-ar", String(rate)]
        args += ["-ac", String(spec.channels ?? min(2, audio.channels ?? 2))] + stripMetadata
        switch spec.format {
        case .mp3: args += ["-f", "mp3"]
        case .aac: args += ["-movflags", "+faststart", "-f", "ipod"]
        case .opus, .vorbis: args += ["-f", "ogg"]
        }
        return FFmpegCommand(arguments: args + [output], progressSeconds: info.duration)
    }

    /// Decoded mono PCM (16-bit little-endian) at the source's rate, for the waveform.
    public static func waveformPCM(info: MediaInfo, output: String) throws(JobError) -> FFmpegCommand {
        let audio = try requireAudio(info)
        let args =
            prelude + progress + input()
            + ["-map", "0:a:0", "-vn", "-ac", "1", "-ar", String(audio.sampleRate ?? 44100), "-c:a", "pcm_s16le", "-f", "s16le", output]
        return FFmpegCommand(arguments: args, progressSeconds: info.duration)
    }

    /// The storyboard sprite: one input per tile, each seeked to its keyframe (no decoding in
    /// between), scaled and tiled into one image.
    public static func storyboard(_ plan: StoryboardPlan, output: String) -> FFmpegCommand {
        var args = prelude
        for tile in plan.tiles { args += ["-noaccurate_seek"] + input(seek: tile.start, keyframesOnly: true) }
        var graph = plan.tiles.indices.map {
            "[\($0):v:0]trim=end_frame=1,scale=\(plan.tileWidth):\(plan.tileHeight):flags=bicubic,setsar=1,setpts=N/TB[t\($0)]"
        }
        let labels = plan.tiles.indices.map { "[t\($0)]" }.joined()
        graph.append("\(labels)concat=n=\(plan.tiles.count):v=1:a=0,tile=\(plan.columns)x\(plan.rows)[sprite]")
        args += ["-filter_complex", graph.joined(separator: ";"), "-map", "[sprite]", "-frames:v", "1", "-fps_mode", "passthrough"]
        args += imageCodec(plan.format) + ["-update", "1", output]
        return FFmpegCommand(arguments: args)
    }
}

/// `loudnorm`'s first-pass JSON.
public struct LoudnessMeasurement: Sendable, Equatable, Codable {
    public var inputI: String
    public var inputTP: String
    public var inputLRA: String
    public var inputThresh: String
    public var targetOffset: String

    enum CodingKeys: String, CodingKey {
        case inputI = "input_i", inputTP = "input_tp", inputLRA = "input_lra", inputThresh = "input_thresh", targetOffset = "target_offset"
    }

    /// Finds the last JSON object in FFmpeg's stderr; nil when absent or when the input is silent
    /// (`-inf`), where a second pass would have nothing to normalise.
    public static func parse(stderr: String) -> LoudnessMeasurement? {
        guard let open = stderr.lastIndex(of: "{"), let close = stderr.lastIndex(of: "}"), open < close else { return nil }
        let json = String(stderr[open...close])
        guard let value = try? JSONDecoderShim.decode(LoudnessMeasurement.self, json) else { return nil }
        let numbers = [value.inputI, value.inputTP, value.inputLRA, value.inputThresh, value.targetOffset]
        guard numbers.allSatisfy({ Double($0)?.isFinite == true }) else { return nil }
        return value
    }
}
