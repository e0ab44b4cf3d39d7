import MagpieCore

/// A parsed imgproxy-style URL: the request, and what its signature must cover.
public struct ImgproxyURL: Sendable, Hashable {
    public var request: ImageRequest
    /// The signature segment as sent (a signature, or a placeholder such as `insecure`).
    public var signature: String
    /// Everything after the signature segment, from its `/`, exactly as sent: the signed message.
    public var signedPath: String
    /// The info form: metadata (JSON) instead of pixels; `request.options.format` is `.json`.
    public var isInfo: Bool

    public init(request: ImageRequest, signature: String, signedPath: String, isInfo: Bool) {
        self.request = request
        self.signature = signature
        self.signedPath = signedPath
        self.isInfo = isInfo
    }
}

/// imgproxy's path grammar (docs.imgproxy.net, "Processing an image"), served under `/i`:
///
///     /%signature/%option:%arg…/…/plain/%source_url@%extension
///     /%signature/%option:%arg…/…/%base64url_source_url.%extension
///     /%signature/info/%options…/%source                (Magpie's info form)
///     /info/%signature/%options…/%source                (imgproxy's info form)
///
/// Options run up to the first segment without a `:` (imgproxy's rule); they apply left to right
/// after the `default` preset, and the source's extension applies last. Only `s3://` (stored
/// objects) and `http(s)://` sources are accepted; encrypted (`/enc/`) sources are not supported.
public enum ImgproxyGrammar {
    /// Parses `path`, the request path after `/i`, raw (still percent-encoded) as sent.
    /// `presets` maps a preset name to its option strings in this same grammar. The signature is
    /// not checked here: pass the result to `ImgproxySigner.verify`.
    public static func parse(path: String, presets: [String: [String]] = [:]) throws(ImageURLError) -> ImgproxyURL {
        guard path.hasPrefix("/") else { throw .invalidSource("the path must start with /") }
        var rest = path.dropFirst()
        var isInfo = false
        if rest.hasPrefix("info/") {
            isInfo = true
            rest = rest.dropFirst("info/".count)
        }
        guard let slash = rest.firstIndex(of: "/") else { throw .invalidSource("the URL has no source") }
        let signature = String(rest[..<slash])
        let signedPath = String(rest[slash...])

        var segments = signedPath.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        if !isInfo, segments.first == "info" {
            isInfo = true
            segments.removeFirst()
        }
        if let first = segments.first, ResizingType(rawValue: String(first)) != nil || first == "crop" {
            throw .invalidSource("imgproxy's deprecated basic URL format is not supported")
        }

        var builder = ImageOptionsBuilder(presets: presets)
        try builder.applyDefaultPreset()
        var optionCount = 0
        var presetOptionCount = 0
        while let segment = segments.first {
            let parts = segment.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count > 1 else { break }
            segments.removeFirst()
            optionCount += 1
            if ImgproxyOption(name: parts[0]) == .preset { presetOptionCount += 1 }
            try builder.applyImgproxyOption(parts[0], Array(parts.dropFirst()), stack: [])
        }

        let (source, fileExtension) = try parseSource(segments)
        if let fileExtension {
            builder.options.format = try ImageOptionsBuilder.formatRequest(fileExtension, "format")
        }
        if isInfo { builder.options.format = .json }

        let request = ImageRequest(
            options: builder.build(), source: source, presets: builder.usedPresets,
            onlyPresets: optionCount > 0 && presetOptionCount == optionCount
        )
        return ImgproxyURL(request: request, signature: signature, signedPath: signedPath, isInfo: isInfo)
    }

    /// The segments after the options: `plain/…[@ext]` or Base64 (possibly split by `/`)`[.ext]`.
    static func parseSource(_ segments: [Substring]) throws(ImageURLError) -> (ImageSource, String?) {
        guard let first = segments.first, !(segments.count == 1 && first.isEmpty) else {
            throw .invalidSource("the URL has no source")
        }
        if first == "enc" { throw .invalidSource("encrypted source URLs are not supported") }
        let plain = first == "plain" && segments.count > 1
        let joined = plain ? segments.dropFirst().joined(separator: "/") : segments.joined()
        let pieces = joined.split(separator: plain ? "@" : ".", omittingEmptySubsequences: false)
        guard pieces.count <= 2 else { throw .invalidSource("more than one extension") }
        guard !pieces[0].isEmpty else { throw .invalidSource("the source URL is empty") }
        let fileExtension = pieces.count == 2 && !pieces[1].isEmpty ? String(pieces[1]) : nil

        let url: String
        if plain {
            guard let decoded = PercentEncoding.decode(pieces[0]) else { throw .invalidSource("malformed percent-encoding") }
            url = decoded
        } else {
            guard let bytes = Base64URL.decode(pieces[0]), let decoded = String(validating: bytes, as: UTF8.self) else {
                throw .invalidSource("the source URL is not valid URL-safe Base64")
            }
            url = decoded
        }
        return (try ImageSource.parse(url: url), fileExtension)
    }
}
