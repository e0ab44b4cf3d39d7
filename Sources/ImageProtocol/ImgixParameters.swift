import MagpieCore

/// The query of an imgix-style URL, decoded: one value per parameter (the last one sent wins),
/// except `auto`, whose values accumulate as imgix allows (`auto=compress&auto=format`).
struct ImgixParameters {
    /// Every parameter the grammar knows. `ixlib` (the version tag imgix SDKs add to every URL) is
    /// accepted and ignored so SDK-built URLs work unchanged.
    static let known: Set<String> = [
        "w", "h", "fit", "crop", "fp-x", "fp-y", "fp-z", "ar", "rect", "dpr", "q", "fm", "auto", "bg",
        "pad", "pad-top", "pad-right", "pad-bottom", "pad-left", "blur", "sharp", "px", "rot", "flip",
        "dl", "s", "expires", "preset", "cb", "versionId", "ixlib",
    ]

    /// Parameters that are not processing options: the signature, the source version, the SDK tag.
    static let nonOptions: Set<String> = ["s", "versionId", "ixlib"]

    private(set) var values: [String: String] = [:]
    private(set) var auto: [String] = []

    /// Splits on `&`, then each piece at its first `=`; names and values are form-decoded
    /// (`%XX`, `+` as space). Empty pieces are skipped.
    init(query: String) throws(ImageURLError) {
        for piece in query.split(separator: "&") {
            let equals = piece.firstIndex(of: "=")
            let rawName = equals.map { piece[..<$0] } ?? piece
            let rawValue = equals.map { piece[piece.index(after: $0)...] } ?? ""
            guard let name = PercentEncoding.decode(rawName, plusAsSpace: true) else {
                throw .invalidOption(String(rawName), "malformed percent-encoding")
            }
            guard Self.known.contains(name) else { throw .unknownOption(name) }
            guard let value = PercentEncoding.decode(rawValue, plusAsSpace: true) else {
                throw .invalidOption(name, "malformed percent-encoding")
            }
            if name == "auto" {
                auto += value.split(separator: ",").map(String.init)
            } else {
                values[name] = value
            }
        }
    }

    subscript(name: String) -> String? { values[name] }

    /// True when the query names a preset and nothing else that changes the output.
    var isOnlyPresets: Bool {
        values["preset"] != nil && auto.isEmpty && values.keys.allSatisfy { $0 == "preset" || Self.nonOptions.contains($0) }
    }
}
