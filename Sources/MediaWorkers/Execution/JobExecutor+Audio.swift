import Foundation
import MediaJobs
import NIOCore

extension JobExecutor {
    /// `<name>.mp3|m4a|opus|ogg`; with `loudnorm`, a measuring pass first.
    func audio(_ spec: AudioOutput, name: String, info: MediaInfo, context: JobContext) async throws -> OutputResult {
        var measured: LoudnessMeasurement?
        if spec.loudnorm == true {
            let outcome = try await ffmpeg(try FFmpegArguments.loudnessMeasure(spec, info: info), context: context)
            measured = LoudnessMeasurement.parse(stderr: outcome.standardError)
        }
        let file = "out/\(name)/\(name).\(spec.format.fileExtension)"
        try await ffmpeg(try FFmpegArguments.audio(spec, info: info, measured: measured, output: file), context: context)
        let key = context.key("\(name).\(spec.format.fileExtension)")
        try await store(file: context.directory + "/" + file, key: key, context: context)
        var metadata: [String: JSONValue] = ["format": .string(spec.format.rawValue), "bytes": .int(Int(fileSize(context.directory + "/" + file)))]
        if let measured {
            metadata["measuredLoudness"] = .number(Double(measured.inputI) ?? 0)
            metadata["targetLoudness"] = .number(spec.targetLufs ?? -16)
        }
        return OutputResult(type: "audio", name: name, key: key, keys: [key], metadata: metadata)
    }

    /// `<name>.json` in audiowaveform's format, computed from decoded PCM streamed from disk.
    func waveform(_ spec: WaveformOutput, name: String, info: MediaInfo, context: JobContext) async throws -> OutputResult {
        let pcm = "out/\(name)/audio.pcm"
        try await ffmpeg(try FFmpegArguments.waveformPCM(info: info, output: pcm), context: context)
        var builder = WaveformBuilder(sampleRate: info.audio?.sampleRate ?? 44100, samplesPerPixel: spec.samplesPerPixel ?? 256, bits: spec.bits ?? 8)
        for try await chunk in FileChunks(path: context.directory + "/" + pcm) { builder.feed(chunk.readableBytesView) }
        let data = builder.finish()
        let key = context.key("\(name).json")
        try await store(bytes: Self.json(data), key: key, context: context)
        return OutputResult(type: "waveform", name: name, key: key, keys: [key], metadata: ["length": .int(data.length)])
    }
}
