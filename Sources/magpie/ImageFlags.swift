import ArgumentParser
import Foundation
import ImageProtocol
import Imaging
import MagpieServer

/// `magpie serve` options for image transformation (`/i/`, `/a/`); each has a `MAGPIE_IMAGE_*`
/// variable too.
struct ImageFlags: ParsableArguments {
    @Flag(name: .customLong("image-allow-unsigned"), help: "Accept unsigned image URLs (development) (env MAGPIE_IMAGE_ALLOW_UNSIGNED=1).")
    var allowUnsigned = false
    @Flag(name: .customLong("image-unsigned-presets-only"), help: "Accept unsigned URLs that use presets only (env MAGPIE_IMAGE_UNSIGNED_PRESETS_ONLY=1).")
    var unsignedPresetsOnly = false
    @Option(name: .customLong("image-preset"), help: "A named preset, NAME=OPTIONS in the imgproxy grammar, e.g. thumb=rs:fill:300:300/q:80 (repeatable; env MAGPIE_IMAGE_PRESETS, ';'-separated).")
    var presets: [String] = []
    @Option(name: .customLong("image-widths"), help: "Widths unsigned URLs snap up to, e.g. 320,640,1280 (env MAGPIE_IMAGE_WIDTHS).")
    var widths: String?
    @Option(name: .customLong("image-default-format"), help: "For URLs naming no format: auto (negotiate AVIF/WebP by Accept) or source (env MAGPIE_IMAGE_DEFAULT_FORMAT).")
    var defaultFormat: String?
    @Option(name: .customLong("image-cache-mib"), help: "Result cache size on disk in MiB, default 1024 (env MAGPIE_IMAGE_CACHE_MIB).")
    var cacheMiB: Int?
    @Option(name: .customLong("image-ttl"), help: "max-age in seconds for results of unpinned sources, default 3600 (env MAGPIE_IMAGE_TTL).")
    var ttl: Int?
    @Option(name: .customLong("image-threads"), help: "Image processing threads, default: the cores (env MAGPIE_IMAGE_THREADS).")
    var threads: Int?
    @Option(name: .customLong("image-queue"), help: "Jobs that may wait before 429, default 64 (env MAGPIE_IMAGE_QUEUE).")
    var queue: Int?
    @Option(name: .customLong("image-avif-effort"), help: "AVIF encoder effort 0-9, default 2 (env MAGPIE_IMAGE_AVIF_EFFORT).")
    var avifEffort: Int?
    @Option(name: .customLong("image-max-source-mp"), help: "Largest source in megapixels (all frames), default 50 (env MAGPIE_IMAGE_MAX_SOURCE_MP).")
    var maxSourceMP: Double?
    @Option(name: .customLong("image-max-source-mib"), help: "Largest source in MiB, default 50 (env MAGPIE_IMAGE_MAX_SOURCE_MIB).")
    var maxSourceMiB: Int?
    @Option(name: .customLong("image-max-side"), help: "Largest result side in pixels, default 8192 (env MAGPIE_IMAGE_MAX_SIDE).")
    var maxSide: Int?
    @Option(name: .customLong("image-max-frames"), help: "Most animation frames, default 100 (env MAGPIE_IMAGE_MAX_FRAMES).")
    var maxFrames: Int?
    @Option(name: .customLong("image-timeout"), help: "Seconds one transformation may take, default 20 (env MAGPIE_IMAGE_TIMEOUT).")
    var timeout: Double?
    @Option(name: .customLong("image-watermark"), help: "Default watermark object for wm:, s3://bucket/key (env MAGPIE_IMAGE_WATERMARK).")
    var watermark: String?

    @Option(name: .customLong("image-remote-hosts"), help: "Hosts remote http(s) sources may come from, e.g. images.example.com,*.cdn.example.org (* any); off by default (env MAGPIE_IMAGE_REMOTE_HOSTS).")
    var remoteHosts: String?
    @Flag(name: .customLong("image-remote-allow-private"), help: "Let remote fetches reach private, loopback and link-local addresses (env MAGPIE_IMAGE_REMOTE_ALLOW_PRIVATE=1).")
    var remoteAllowPrivate = false

    func configuration(dataDirectory: String) throws -> ImageServiceConfiguration {
        let env = ProcessInfo.processInfo.environment
        func flag(_ value: Bool, _ name: String) -> Bool { value || ["1", "true", "yes"].contains(env[name]?.lowercased() ?? "") }
        func int(_ value: Int?, _ name: String) throws -> Int? {
            if let value { return value }
            guard let text = env[name] else { return nil }
            guard let number = Int(text) else { throw CLIError("\(name) must be an integer") }
            return number
        }
        func double(_ value: Double?, _ name: String) throws -> Double? {
            if let value { return value }
            guard let text = env[name] else { return nil }
            guard let number = Double(text) else { throw CLIError("\(name) must be a number") }
            return number
        }

        var images = ImageServiceConfiguration()
        images.keys = try ImageKeys.loadOrCreate(dataDirectory: dataDirectory)
        images.allowUnsigned = flag(allowUnsigned, "MAGPIE_IMAGE_ALLOW_UNSIGNED")
        images.unsignedPresetsOnly = flag(unsignedPresetsOnly, "MAGPIE_IMAGE_UNSIGNED_PRESETS_ONLY")
        let presetTexts = presets + (env["MAGPIE_IMAGE_PRESETS"]?.split(separator: ";").map(String.init) ?? [])
        for text in presetTexts {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw CLIError("a preset is NAME=OPTIONS, got \(text)") }
            images.presets[parts[0]] = parts[1].split(separator: "/").map(String.init)
        }
        // Presets are checked now, not at the first request.
        for name in images.presets.keys {
            do {
                _ = try ImgproxyGrammar.parse(path: "/_/pr:\(name)/plain/s3://bucket/key", presets: images.presets)
            } catch {
                throw CLIError("preset \(name): \(error)")
            }
        }
        if let text = widths ?? env["MAGPIE_IMAGE_WIDTHS"] {
            images.widthAllowList = try text.split(separator: ",").map {
                guard let width = Int($0.trimmingCharacters(in: .whitespaces)), width > 0 else { throw CLIError("--image-widths takes positive integers") }
                return width
            }.sorted()
        }
        switch defaultFormat ?? env["MAGPIE_IMAGE_DEFAULT_FORMAT"] ?? "auto" {
        case "auto": images.negotiateByDefault = true
        case "source": images.negotiateByDefault = false
        case let other: throw CLIError("--image-default-format is auto or source, got \(other)")
        }
        if let mib = try int(cacheMiB, "MAGPIE_IMAGE_CACHE_MIB") { images.cacheMaxBytes = max(1, mib) << 20 }
        if let seconds = try int(ttl, "MAGPIE_IMAGE_TTL") { images.ttlSeconds = max(0, seconds) }
        if let count = try int(threads, "MAGPIE_IMAGE_THREADS") { images.threads = max(1, count) }
        if let count = try int(queue, "MAGPIE_IMAGE_QUEUE") { images.maxQueue = max(0, count) }
        if let effort = try int(avifEffort, "MAGPIE_IMAGE_AVIF_EFFORT") {
            guard (0...9).contains(effort) else { throw CLIError("--image-avif-effort is 0…9") }
            images.imaging.avifEffort = effort
        }
        if let mp = try double(maxSourceMP, "MAGPIE_IMAGE_MAX_SOURCE_MP") { images.imaging.limits.maxSourcePixels = Int(mp * 1_000_000) }
        if let mib = try int(maxSourceMiB, "MAGPIE_IMAGE_MAX_SOURCE_MIB") { images.imaging.limits.maxSourceBytes = mib << 20 }
        if let side = try int(maxSide, "MAGPIE_IMAGE_MAX_SIDE") { images.imaging.limits.maxResultSide = side }
        if let frames = try int(maxFrames, "MAGPIE_IMAGE_MAX_FRAMES") { images.imaging.limits.maxFrames = frames }
        if let seconds = try double(timeout, "MAGPIE_IMAGE_TIMEOUT") { images.imaging.limits.timeout = .milliseconds(Int(seconds * 1000)) }
        if let text = watermark ?? env["MAGPIE_IMAGE_WATERMARK"] {
            guard text.hasPrefix("s3://"), case let parts = text.dropFirst(5).split(separator: "/", maxSplits: 1), parts.count == 2 else {
                throw CLIError("--image-watermark is s3://bucket/key")
            }
            images.defaultWatermark = ObjectReference(bucket: String(parts[0]), key: String(parts[1]))
        }
        if let text = remoteHosts ?? env["MAGPIE_IMAGE_REMOTE_HOSTS"] {
            images.remoteHosts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        }
        images.remoteAllowPrivate = flag(remoteAllowPrivate, "MAGPIE_IMAGE_REMOTE_ALLOW_PRIVATE")
        return images
    }
}
