import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import ImageProtocol
import Imaging
import MagpieCore
import MetadataStore
import NIOCore
import ObjectService
import Outbound
import S3Protocol

/// `/i/…` (imgproxy path grammar) and `/a/…` (imgix query grammar): parse → verify the
/// signature → canonical options → source record → ETag (304 before any read) → result cache →
/// on a miss one coalesced run (read source, libvips, store) → respond.
struct ImageEndpoint: Sendable {
    let configuration: ImageServiceConfiguration
    let service: ObjectService
    let engine: ImageEngine
    let cache: ImageResultCache
    let coalescer = ImageCoalescer<Produced>()
    let metrics = ImageMetrics()
    /// Watermark images by version and ETag (a few, small ones only): every cache miss that draws a
    /// watermark would read the same object again otherwise.
    let watermarks = ExpiringCache<[UInt8]>(capacity: 32, lifetime: .seconds(300))
    static let cachedWatermarkBytes: Int64 = 1 << 20
    /// Remote sources; nil when no host is allowed.
    let fetcher: SafeFetcher?

    init(configuration: ImageServiceConfiguration, service: ObjectService, engine: ImageEngine, cache: ImageResultCache) {
        self.configuration = configuration
        self.service = service
        self.engine = engine
        self.cache = cache
        var limits = FetchLimits()
        limits.maxBytes = configuration.imaging.limits.maxSourceBytes
        limits.timeout = configuration.remoteTimeout
        fetcher =
            configuration.remoteHosts.isEmpty
            ? nil
            : SafeFetcher(
                allowedHosts: configuration.remoteHosts.contains("*") ? [] : configuration.remoteHosts,
                policy: AddressPolicy(allowPrivate: configuration.remoteAllowPrivate), limits: limits)
    }

    struct Produced: Sendable {
        var bytes: [UInt8]
        var format: ImageFormat
        var timings: [(String, Duration)]
    }

    /// A parsed, verified request ready to be served.
    struct Resolved {
        var request: ImageRequest
        var output: OutputChoice?
        var negotiated: Bool
    }

    func handle(_ request: Request, target: String, requestId: String) async throws -> Response {
        guard request.method == .get || request.method == .head else {
            throw ImageFailure(status: 405, reason: "method-not-allowed", message: "Images are read with GET or HEAD.")
        }
        let clock = ContinuousClock()
        let started = clock.now
        let resolved = try resolve(target: target, accept: request.headers[.accept])
        let source = try await sourceHandle(resolved.request.source, requestId: requestId)
        let options = resolved.request.options

        guard let output = resolved.output else {
            return try await info(source, requestId: requestId, isHead: request.method == .head)
        }
        var watermark: ObjectRecord?
        if let mark = options.watermark {
            guard let reference = mark.source ?? configuration.defaultWatermark else {
                throw ImageFailure(status: 400, reason: "invalid-option", message: "wm: needs a watermark object (wmu:) or a server default.")
            }
            watermark = try await service.deliverySource(reference.bucket, reference.key, versionId: reference.versionId)
        }
        let key = cacheKey(options: options, source: resolved.request.source, identity: source.identity, output: output, watermark: watermark)
        let tag = ETag(String(key.prefix(40)))
        let etag = tag.quoted
        var headers = HTTPFields()
        headers[.eTag] = etag
        if let lastModified = source.lastModified { headers[.lastModified] = lastModified }
        let pinned = source.pinned || options.cacheBuster != nil
        headers[.cacheControl] = pinned ? "public, max-age=31536000, immutable" : "public, max-age=\(configuration.ttlSeconds)"
        if resolved.negotiated { headers[.vary] = "Accept" }
        if let disposition = contentDisposition(options, name: source.name) { headers[.contentDisposition] = disposition }

        if let match = request.headers[.ifNoneMatch], tag.matches(list: match) {
            metrics.result(status: 304, format: nil)
            return Response(status: .notModified, headers: headers)
        }

        let lookupStarted = clock.now
        var timings: [(String, Duration)] = []
        let produced: Produced
        let hit = await cache.get(key)
        metrics.stage("cache_lookup", clock.now - lookupStarted)
        if let hit {
            timings.append(("cache", clock.now - lookupStarted))
            metrics.cache(hit: true)
            headers[.magpieCache] = "HIT"
            produced = Produced(bytes: hit.bytes, format: hit.format, timings: timings)
        } else {
            timings.append(("cache", clock.now - lookupStarted))
            metrics.cache(hit: false)
            let mark = watermark
            let (result, joined) = try await coalescer.run(key) {
                try await produce(source: source, options: options, output: output, watermark: mark, key: key, requestId: requestId)
            }
            if joined { metrics.coalesced() }
            headers[.magpieCache] = joined ? "COALESCED" : "MISS"
            produced = Produced(bytes: result.bytes, format: result.format, timings: timings + result.timings)
        }
        headers[.contentType] = produced.format.contentType
        headers[.contentLength] = String(produced.bytes.count)
        headers[.serverTiming] = (produced.timings + [("total", clock.now - started)])
            .map { "\($0.0);dur=\(String(format: "%.2f", $0.1.milliseconds))" }.joined(separator: ", ")
        metrics.result(status: 200, format: produced.format)
        if request.method == .head { return Response(status: .ok, headers: headers) }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: produced.bytes)))
    }

    // MARK: - Parsing and verification

    func resolve(target: String, accept: String?) throws -> Resolved {
        var request: ImageRequest
        var signed: Bool
        if target.hasPrefix("/i/") {
            let url = try ImgproxyGrammar.parse(path: String(target.dropFirst(2)), presets: configuration.presets)
            signed = try ImgproxySigner.verify(url, keys: configuration.keys, allowUnsigned: unsignedAllowed)
            request = url.request
        } else {
            let (path, query) = Self.split(target)
            let url = try ImgixGrammar.parse(path: path, query: query, presets: configuration.presets)
            signed = try ImgixSigner.verify(url, keys: configuration.keys, allowUnsigned: unsignedAllowed)
            request = url.request
        }
        try request.options.checkExpiry(now: Int(Date().timeIntervalSince1970))
        if !signed {
            if configuration.unsignedPresetsOnly && !configuration.allowUnsigned && !request.onlyPresets {
                throw ImageURLError.presetsOnly
            }
            // Snapping limits what free options can ask for; an operator's preset is kept as written.
            if !configuration.widthAllowList.isEmpty && !request.onlyPresets {
                request.options = request.options.snappedWidth(to: configuration.widthAllowList)
            }
        }
        switch request.options.format {
        case .json:
            return Resolved(request: request, output: nil, negotiated: false)
        case .fixed(let format):
            return Resolved(request: request, output: .fixed(format), negotiated: false)
        case .auto, nil:
            let negotiate = request.options.format == .auto || configuration.negotiateByDefault
            let accepts = negotiate ? AcceptHeader(accept) : AcceptHeader(nil)
            return Resolved(
                request: request, output: .negotiate(acceptsAVIF: accepts.avif, acceptsWebP: accepts.webp), negotiated: negotiate)
        }
    }

    private var unsignedAllowed: Bool { configuration.allowUnsigned || configuration.unsignedPresetsOnly }

    static func split(_ target: String) -> (String, String) {
        guard let mark = target.firstIndex(of: "?") else { return (target, "") }
        return (String(target[..<mark]), String(target[target.index(after: mark)...]))
    }

    /// canonical options (without what only changes headers) + source + the source's version and
    /// ETag + the output choice (+ the watermark's version).
    func cacheKey(options: ImageOptions, source: ImageSource, identity: String, output: OutputChoice, watermark: ObjectRecord?) -> String {
        var pixels = options
        pixels.filename = nil
        pixels.attachment = false
        pixels.expires = nil
        pixels.format = nil
        var text = "v1|\(pixels.canonical)|\(source.canonical)|\(identity)|\(output.canonical)"
        if let watermark { text += "|wm:\(watermark.bucket)/\(watermark.key)@\(watermark.versionId)/\(watermark.etag)" }
        return Array(SHA256.hash(data: Array(text.utf8))).hexString
    }

    /// The watermark's bytes, bounded like a source, from the small cache when it was read recently.
    func watermarkImage(_ record: ObjectRecord, requestId: String) async throws -> [UInt8] {
        try Self.refuseCustomerKeyed(record, role: "watermark")
        let name = [record.bucket, record.key, record.versionId, record.etag].joined(separator: "\u{0}")
        if let cached = watermarks.get(name) { return cached }
        let ticket = watermarks.ticket()
        let bytes = try await readObject(record, requestId: requestId)
        if record.size <= Self.cachedWatermarkBytes { watermarks.put(name, bytes, ticket: ticket) }
        return bytes
    }

    func contentDisposition(_ options: ImageOptions, name: String) -> String? {
        guard options.filename != nil || options.attachment else { return nil }
        let base = options.filename ?? String(name.split(separator: "/").last ?? "image").split(separator: ".").first.map(String.init) ?? "image"
        let safe = base.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" ? String($0) : "_" }.joined()
        let encoded = URLCoding.percentEncode(base)
        return "\(options.attachment ? "attachment" : "inline"); filename=\"\(safe)\"; filename*=UTF-8''\(encoded)"
    }

    // MARK: - Producing

    func produce(
        source: SourceHandle, options: ImageOptions, output: OutputChoice, watermark: ObjectRecord?, key: String, requestId: String
    ) async throws -> Produced {
        let clock = ContinuousClock()
        let readStarted = clock.now
        let bytes = try await source.load()
        var watermarkBytes: [UInt8]?
        if let watermark { watermarkBytes = try await watermarkImage(watermark, requestId: requestId) }
        let readTime = clock.now - readStarted
        metrics.stage("source_read", readTime)
        metrics.queueDepth(engine.depth + 1)
        let timed: ImageEngine.Timed<ProcessedImage>
        do {
            timed = try await engine.process(source: bytes, options: options, output: output, watermark: watermarkBytes)
            metrics.queueDepth(max(0, engine.depth))
        } catch {
            metrics.queueDepth(max(0, engine.depth))
            throw error
        }
        metrics.processed()
        let image = timed.value
        metrics.stage("queue_wait", timed.queueWait)
        metrics.stage("transform", image.transformTime)
        metrics.stage("encode", image.encodeTime)
        await cache.put(key, bytes: image.bytes, format: image.format, onDisk: !source.encrypted)
        return Produced(
            bytes: image.bytes, format: image.format,
            timings: [("read", readTime), ("queue", timed.queueWait), ("transform", image.transformTime), ("encode", image.encodeTime)])
    }

    func info(_ source: SourceHandle, requestId: String, isHead: Bool) async throws -> Response {
        let bytes = try await source.load()
        let info = try await engine.inspect(source: bytes).value
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(info)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.contentLength] = String(body.count)
        headers[.cacheControl] = "public, max-age=\(configuration.ttlSeconds)"
        metrics.result(status: 200, format: nil)
        if isHead { return Response(status: .ok, headers: headers) }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// An image request refused outside the engine (method, remote source, watermark).
struct ImageFailure: Error {
    var status: Int
    var reason: String
    var message: String
}

/// Which modern formats an `Accept` header takes (a `q=0` entry refuses).
struct AcceptHeader {
    var avif = false
    var webp = false

    init(_ header: String?) {
        guard let header else { return }
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = parts.first else { continue }
            let refused = parts.dropFirst().contains { $0.replacingOccurrences(of: " ", with: "").hasPrefix("q=0") && Double($0.dropFirst(2)) == 0 }
            if refused { continue }
            if type == "image/avif" { avif = true }
            if type == "image/webp" { webp = true }
        }
    }
}

extension HTTPField.Name {
    static let magpieCache = Self("X-Magpie-Cache")!
    static let magpieError = Self("X-Magpie-Error")!
    static let serverTiming = Self("Server-Timing")!
}

extension Duration {
    var milliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}
