import ArgumentParser
import Foundation
import ImageProtocol

/// `magpie image url|srcset|bench`: signed transformation URLs for pages and scripts, and the
/// in-process libvips ceiling for benchmarks.
struct ImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image", abstract: "Signed image transformation URLs.", subcommands: [ImageURL.self, ImageSrcset.self, ImageBench.self])
}

/// What both URL commands take.
struct ImageURLOptions: ParsableArguments {
    @Argument(help: "The source, s3://bucket/key.") var source: String
    @Option(name: .customLong("w"), help: "Width in pixels.") var width: Int?
    @Option(name: .customLong("h"), help: "Height in pixels.") var height: Int?
    @Option(help: "Resizing type: fit, fill, fill-down, force, auto.") var fit: String?
    @Option(help: "Gravity: ce, no, so, ea, we, noea, nowe, soea, sowe, sm (smart), en (entropy).") var gravity: String?
    @Option(help: "Quality 1-100.") var quality: Int?
    @Option(help: "Device pixel ratio 1-5.") var dpr: Double?
    @Option(help: "Output format: auto (negotiated by Accept), jpg, png, webp, avif, gif.") var format: String = "auto"
    @Option(help: "More imgproxy options, e.g. bl:2/sh:0.5.") var options: String?
    @Flag(help: "The info URL: JSON metadata with BlurHash and ThumbHash placeholders.") var info = false
    @Flag(help: "An imgix-style query URL under /a/ instead of the imgproxy path under /i/.") var imgix = false
    @Option(help: "Base URL of the server.") var endpoint: String = "http://127.0.0.1:9000"
    @Option(name: .customLong("data-dir"), help: "The server's data directory (for its image key) (env MAGPIE_DATA_DIR).") var dataDir: String?

    func validate() throws {
        guard source.hasPrefix("s3://"), source.dropFirst(5).contains("/") else { throw ValidationError("the source is s3://bucket/key") }
        guard ["auto", "jpg", "jpeg", "png", "webp", "avif", "gif"].contains(format) else { throw ValidationError("unknown format \(format)") }
    }

    /// The signed URL for one width (nil: the --w option).
    func url(width override: Int? = nil, key: ImageSigningKey) throws -> String {
        if imgix { return try imgixURL(width: override ?? width, key: key) }
        var parts: [String] = info ? ["info"] : []
        if let fit { parts.append("rt:\(fit)") }
        if let width = override ?? width { parts.append("w:\(width)") }
        if let height { parts.append("h:\(height)") }
        if let gravity { parts.append("g:\(gravity)") }
        if let quality { parts.append("q:\(quality)") }
        if let dpr { parts.append("dpr:\(dpr)") }
        if let options { parts.append(contentsOf: options.split(separator: "/").map(String.init)) }
        // Keep `/` and `:` of s3://bucket/key readable; escape what the path grammar reserves.
        var path = "/" + (parts.isEmpty ? "" : parts.joined(separator: "/") + "/")
        path += "plain/" + URLCoding.percentEncode(source, keeping: Set("/:!$&'()*+,;=".utf8))
        if format != "auto" && !info { path += "@\(format)" }
        // Parsing it back proves the server will accept it.
        _ = try ImgproxyGrammar.parse(path: "/_" + path)
        let base = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        return base + "/i" + ImgproxySigner.signedPath(path, with: key)
    }
}

extension ImageURLOptions {
    /// `/a/{bucket}/{key}?w=…&s=…` with imgix's names: fit fill→crop, fit→max, force→scale;
    /// gravity sm/en → crop=entropy, compass → crop=top,left…
    func imgixURL(width: Int?, key: ImageSigningKey) throws -> String {
        guard options == nil else { throw ValidationError("--options is for the imgproxy grammar") }
        let location = source.dropFirst(5)
        let path = "/a/" + URLCoding.percentEncode(location, keeping: Set("/".utf8))
        var query: [String] = []
        if let width { query.append("w=\(width)") }
        if let height { query.append("h=\(height)") }
        switch fit {
        case nil: break
        case "fill", "fill-down": query.append("fit=crop")
        case "fit": query.append("fit=max")
        case "force": query.append("fit=scale")
        case let other?: throw ValidationError("--fit \(other) has no imgix equivalent")
        }
        let crops = ["no": "top", "so": "bottom", "ea": "right", "we": "left", "noea": "top,right", "nowe": "top,left",
                     "soea": "bottom,right", "sowe": "bottom,left", "sm": "entropy", "en": "entropy"]
        if let gravity, gravity != "ce" {
            guard let crop = crops[gravity] else { throw ValidationError("--gravity \(gravity) has no imgix equivalent") }
            query.append("crop=\(crop)")
        }
        if let quality { query.append("q=\(quality)") }
        if let dpr { query.append("dpr=\(dpr)") }
        if info { query.append("fm=json") } else if format == "auto" { query.append("auto=format") } else { query.append("fm=\(format == "jpeg" ? "jpg" : format)") }
        let joined = query.joined(separator: "&")
        _ = try ImgixGrammar.parse(path: path, query: joined)
        let base = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        return base + path + "?" + ImgixSigner.signedQuery(path: path, query: joined, with: key)
    }
}

struct ImageURL: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "url", abstract: "Print a signed imgproxy-style URL.")
    @OptionGroup var url: ImageURLOptions

    func run() throws {
        print(try url.url(key: ImageKeys.forClient(dataDirectory: url.dataDir)))
    }
}

struct ImageSrcset: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "srcset", abstract: "Print signed URLs for widths and an <img srcset> snippet.")
    @OptionGroup var url: ImageURLOptions
    @Option(help: "Comma-separated widths.") var widths: String = "320,640,1024,1920"
    @Option(help: "The sizes attribute.") var sizes: String = "100vw"
    @Option(help: "Alt text.") var alt: String = ""

    func run() throws {
        let key = try ImageKeys.forClient(dataDirectory: url.dataDir)
        let list = try widths.split(separator: ",").map {
            guard let width = Int($0.trimmingCharacters(in: .whitespaces)), width > 0 else { throw ValidationError("widths are positive integers") }
            return width
        }
        guard !list.isEmpty else { throw ValidationError("give at least one width") }
        let urls = try list.map { ($0, try url.url(width: $0, key: key)) }
        for (width, link) in urls { print("\(width)w \(link)") }
        let fallback = urls[urls.count / 2].1
        let srcset = urls.map { "\($0.1) \($0.0)w" }.joined(separator: ",\n          ")
        func attribute(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        print("")
        print("<img src=\"\(attribute(fallback))\"\n     srcset=\"\(attribute(srcset))\"\n     sizes=\"\(attribute(sizes))\" alt=\"\(attribute(alt))\">")
    }
}
