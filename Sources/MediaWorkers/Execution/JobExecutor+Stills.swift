import Foundation
import MediaJobs

extension JobExecutor {
    /// Thumbnails (`<name>/thumb-001.jpg` …) or a poster (`<name>.jpg`): one process, one seeked input per time.
    func stills(_ spec: ThumbnailOutput, name: String, poster: Bool, info: MediaInfo, context: JobContext) async throws -> OutputResult {
        let format = spec.format ?? .jpg
        let times = (spec.times ?? [poster ? .percent(10) : .percent(50)]).map { $0.resolve(duration: info.duration) }
        let (width, height) = try FFmpegArguments.stillSize(spec, info: info)
        let files = times.indices.map {
            poster ? "out/\(name)/\(name).\(format.fileExtension)" : "out/\(name)/thumb-\(Self.pad($0 + 1)).\(format.fileExtension)"
        }
        try await ffmpeg(FFmpegArguments.stills(times: times, format: format, width: width, height: height, outputs: files), context: context)
        var keys: [String] = []
        for file in files {
            let key = context.key(
                poster ? "\(name).\(format.fileExtension)" : "\(name)/" + (file.split(separator: "/").last.map(String.init) ?? file))
            try await store(file: context.directory + "/" + file, key: key, context: context)
            keys.append(key)
        }
        return OutputResult(
            type: poster ? "poster" : "thumbnail", name: name, key: keys.first, keys: keys,
            metadata: ["width": .int(width), "height": .int(height), "times": .array(times.map { .number($0) })])
    }

    static func pad(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, 3 - text.count)) + text
    }

    /// A sprite of keyframes plus its WebVTT (`<name>/sprite.jpg`, `<name>/storyboard.vtt`).
    func storyboard(_ spec: StoryboardOutput, name: String, info: MediaInfo, context: JobContext) async throws -> OutputResult {
        let plan = try StoryboardPlan.make(spec, info: info)
        let sprite = "sprite." + plan.format.fileExtension
        try await ffmpeg(FFmpegArguments.storyboard(plan, output: "out/\(name)/\(sprite)"), context: context)
        let spriteKey = context.key("\(name)/\(sprite)"), vttKey = context.key("\(name)/storyboard.vtt")
        try await store(file: context.directory + "/out/\(name)/\(sprite)", key: spriteKey, context: context)
        try await store(bytes: Array(plan.webVTT(spriteName: sprite).utf8), key: vttKey, context: context)
        return OutputResult(
            type: "storyboard", name: name, key: vttKey, keys: [spriteKey, vttKey],
            metadata: [
                "tiles": .int(plan.tiles.count), "columns": .int(plan.columns), "rows": .int(plan.rows), "tileWidth": .int(plan.tileWidth),
                "tileHeight": .int(plan.tileHeight), "sprite": .string(spriteKey),
            ])
    }

    /// A short loop: `<name>.webp` and/or `<name>.mp4`.
    func preview(_ spec: PreviewOutput, name: String, info: MediaInfo, context: JobContext) async throws -> OutputResult {
        let outputs = spec.effectiveFormats.map { ($0, "out/\(name)/\(name).\($0.rawValue)") }
        try await ffmpeg(try FFmpegArguments.preview(spec, info: info, outputs: outputs), context: context)
        var keys: [String] = []
        for (kind, file) in outputs {
            let key = context.key("\(name).\(kind.rawValue)")
            try await store(file: context.directory + "/" + file, key: key, context: context)
            keys.append(key)
        }
        return OutputResult(type: "preview", name: name, key: keys.first, keys: keys)
    }
}
