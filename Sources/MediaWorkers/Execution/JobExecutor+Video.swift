import Foundation
import MediaJobs

extension JobExecutor {
    func mp4(_ spec: MP4Output, name: String, info: MediaInfo, context: JobContext) async throws -> OutputResult {
        let file = "out/\(name)/\(name).mp4"
        try await ffmpeg(try FFmpegArguments.mp4(spec, info: info, output: file), context: context)
        let key = context.key(name + ".mp4")
        try await store(file: context.directory + "/" + file, key: key, context: context)
        let facts = try await probeFile(file, context: context)
        return OutputResult(
            type: "mp4", name: name, key: key, keys: [key],
            metadata: [
                "width": .int(facts?.width ?? 0), "height": .int(facts?.height ?? 0), "bytes": .int(Int(fileSize(context.directory + "/" + file))),
            ])
    }

    /// The ladder in one FFmpeg run, then measured facts into the master playlist, an optional
    /// DASH manifest over the same segments, and every file stored (the master last, so a player
    /// never finds a master whose renditions are missing).
    func hls(_ spec: HLSOutput, name: String, info: MediaInfo, context: JobContext) async throws -> OutputResult {
        let directory = context.directory + "/out/" + name
        let rungs = try FFmpegArguments.hlsRungs(spec, info: info)
        let command = try FFmpegArguments.hls(spec, info: info, source: "../../" + FFmpegArguments.sourceFile)
        for rung in rungs { try FileManager.default.createDirectory(atPath: directory + "/" + rung.name, withIntermediateDirectories: true) }
        if info.audio != nil { try FileManager.default.createDirectory(atPath: directory + "/audio", withIntermediateDirectories: true) }
        try await ffmpeg(command, context: context, in: directory)

        var variants: [VariantFacts] = []
        var representations: [DASHManifest.Representation] = []
        var rungMetadata: [JSONValue] = []
        for rung in rungs {
            let playlist = try MediaPlaylist.parse(try String(contentsOfFile: "\(directory)/\(rung.name)/index.m3u8", encoding: .utf8))
            let rates = playlist.bitRates(sizes: Self.sizes(of: playlist, in: "\(directory)/\(rung.name)"))
            let facts = try await probeRendition(playlist, directory: "out/\(name)/\(rung.name)", context: context)
            let codec = MasterPlaylist.avcCodec(profile: facts?.profile, level: facts?.level ?? 40)
            let variant = VariantFacts(
                uri: "\(rung.name)/index.m3u8", width: facts?.width ?? rung.width, height: facts?.height ?? rung.height,
                frameRate: info.video?.frameRate ?? facts?.frameRate ?? 30, videoCodec: codec, peakBitRate: rates.peak, averageBitRate: rates.average)
            variants.append(variant)
            representations.append(
                DASHManifest.Representation(
                    id: rung.name, directory: rung.name, playlist: playlist, bandwidth: rates.peak, codecs: codec, width: variant.width,
                    height: variant.height, frameRate: variant.frameRate))
            rungMetadata.append(
                .object([
                    "name": .string(rung.name), "width": .int(variant.width), "height": .int(variant.height), "codecs": .string(codec),
                    "peakBitRate": .int(rates.peak), "averageBitRate": .int(rates.average), "segments": .int(playlist.segments.count),
                ]))
        }
        var audioFacts: AudioFacts?
        var audioRepresentation: DASHManifest.Representation?
        if info.audio != nil {
            let playlist = try MediaPlaylist.parse(try String(contentsOfFile: "\(directory)/audio/index.m3u8", encoding: .utf8))
            let rates = playlist.bitRates(sizes: Self.sizes(of: playlist, in: "\(directory)/audio"))
            audioFacts = AudioFacts(peakBitRate: rates.peak, averageBitRate: rates.average)
            audioRepresentation = DASHManifest.Representation(
                id: "audio", directory: "audio", playlist: playlist, bandwidth: rates.peak, codecs: "mp4a.40.2")
        }
        let master = try MasterPlaylist.rewrite(
            try String(contentsOfFile: directory + "/master.m3u8", encoding: .utf8), variants: variants, audio: audioFacts)
        try Data(master.utf8).write(to: URL(fileURLWithPath: directory + "/master.m3u8"))
        var keys: [String] = []
        for sub in rungs.map(\.name) + (info.audio != nil ? ["audio"] : []) {
            for file in try FileManager.default.contentsOfDirectory(atPath: directory + "/" + sub).sorted() where !file.hasPrefix(".") {
                let key = context.key("\(name)/\(sub)/\(file)")
                try await store(file: "\(directory)/\(sub)/\(file)", key: key, context: context)
                keys.append(key)
            }
        }
        var metadata: [String: JSONValue] = [
            "rungs": .array(rungMetadata), "container": .string(spec.effectiveContainer.rawValue),
            "segmentSeconds": .number(spec.effectiveSegmentSeconds),
        ]
        if spec.dash == true {
            let manifest = DASHManifest.make(video: representations, audio: audioRepresentation, duration: info.duration)
            let key = context.key("\(name)/manifest.mpd")
            try await store(bytes: Array(manifest.utf8), key: key, context: context)
            keys.append(key)
            metadata["dash"] = .string(key)
        }
        let masterKey = context.key("\(name)/master.m3u8")
        try await store(file: directory + "/master.m3u8", key: masterKey, context: context)
        keys.append(masterKey)
        return OutputResult(type: "hls", name: name, key: masterKey, keys: keys, metadata: metadata)
    }

    static func sizes(of playlist: MediaPlaylist, in directory: String) -> [String: Int64] {
        Dictionary(playlist.segments.map { ($0.uri, fileSize(directory + "/" + $0.uri)) }, uniquingKeysWith: { a, _ in a })
    }

    /// A rendition's codec facts: its init segment alone carries no level, so the init segment and
    /// the first media segment are probed together (a TS segment stands alone).
    func probeRendition(_ playlist: MediaPlaylist, directory: String, context: JobContext) async throws -> MediaInfo.Stream? {
        guard let first = playlist.segments.first else { return nil }
        guard let initURI = playlist.initURI else { return try await probeFile("\(directory)/\(first.uri)", context: context) }
        let joined = "\(directory)/.probe-joined.mp4"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: "\(context.directory)/\(directory)/\(initURI)"))
        bytes.append(try Data(contentsOf: URL(fileURLWithPath: "\(context.directory)/\(directory)/\(first.uri)")))
        try bytes.write(to: URL(fileURLWithPath: "\(context.directory)/\(joined)"))
        defer { try? FileManager.default.removeItem(atPath: "\(context.directory)/\(joined)") }
        return try await probeFile(joined, context: context)
    }

    /// The first video stream of a produced file (profile, level, size, rate), nil when unreadable.
    func probeFile(_ relative: String, context: JobContext) async throws -> MediaInfo.Stream? {
        let report = ".probe-\(UUID().uuidString.prefix(8)).json"
        defer { try? FileManager.default.removeItem(atPath: context.directory + "/" + report) }
        _ = try await runner.run(FFmpegArguments.probeOutput(path: relative, into: report), in: context.directory, timeout: .seconds(60))
        let bytes = (try? Data(contentsOf: URL(fileURLWithPath: context.directory + "/" + report))) ?? Data()
        return (try? MediaInfo.parse(ffprobeJSON: Array(bytes)))?.streams.first { $0.type == "video" }
    }
}
