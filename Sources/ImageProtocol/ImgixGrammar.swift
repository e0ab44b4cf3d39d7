import MagpieCore

/// A parsed imgix-style URL: the request, its signature (`s`) and the message that signature
/// must cover.
public struct ImgixURL: Sendable, Hashable {
    public var request: ImageRequest
    /// The `s` parameter, nil when the URL is unsigned.
    public var signature: String?
    /// What the signature covers; see `ImgixSigner.message(path:query:)`.
    public var signedMessage: String

    public init(request: ImageRequest, signature: String?, signedMessage: String) {
        self.request = request
        self.signature = signature
        self.signedMessage = signedMessage
    }
}

/// imgix's query grammar over Magpie's objects: `/a/{bucket}/{key}?{parameters}`.
///
/// The path names a stored object (bucket and key percent-decoded once); `versionId` picks a
/// version. Unknown parameters are refused (`unknown-option`) rather than ignored, so a typo
/// never silently serves the wrong rendition. See `ImageOptionsBuilder.applyImgix` for how each
/// parameter maps onto `ImageOptions`.
public enum ImgixGrammar {
    /// Parses `path` (as sent, starting with `/a/`) and `query` (raw, without `?`). `presets`
    /// maps names to option strings in the imgproxy grammar; `default` applies first when present.
    public static func parse(path: String, query: String, presets: [String: [String]] = [:]) throws(ImageURLError) -> ImgixURL {
        guard path.hasPrefix("/a/") else { throw .invalidSource("the path must start with /a/") }
        let rest = path.dropFirst("/a/".count)
        guard let slash = rest.firstIndex(of: "/") else { throw .invalidSource("the URL has no key") }
        guard let bucket = PercentEncoding.decode(rest[..<slash]), let key = PercentEncoding.decode(rest[rest.index(after: slash)...])
        else { throw .invalidSource("malformed percent-encoding") }
        guard !bucket.isEmpty else { throw .invalidSource("the bucket is empty") }
        guard !key.isEmpty else { throw .invalidSource("the key is empty") }

        let parameters = try ImgixParameters(query: query)
        var reference = ObjectReference(bucket: bucket, key: key)
        if let version = parameters["versionId"] {
            guard !version.isEmpty else { throw .invalidOption("versionId", "must not be empty") }
            reference.versionId = version
        }

        var builder = ImageOptionsBuilder(presets: presets)
        try builder.applyDefaultPreset()
        try builder.applyImgix(parameters)
        let request = ImageRequest(
            options: builder.build(), source: .object(reference), presets: builder.usedPresets,
            onlyPresets: parameters.isOnlyPresets
        )
        return ImgixURL(request: request, signature: parameters["s"], signedMessage: ImgixSigner.message(path: path, query: query))
    }
}
