import ImageProtocol
import Testing

/// Shared helpers of the URL grammar tests.
enum GrammarFixture {
    /// imgproxy's documented example pair (docs "Signing the URL", examples/signature.*).
    static let docKey = ImageSigningKey(
        hexKey: "943b421c9eb07c830af81030552c86009268de4e532ba2ee2eab8247c6da0881",
        hexSalt: "520f986b998545b4785e0defbc4f3c1203f22de2374a3d53cb7a7fe9fea309c5"
    )!
    static let otherKey = ImageSigningKey(hexKey: "00112233", hexSalt: "44556677")!

    /// Parses `/insecure/{options}/{source}` (options may be empty).
    static func imgproxy(
        _ options: String, source: String = "plain/s3://b/k", presets: [String: [String]] = [:]
    ) throws(ImageURLError) -> ImgproxyURL {
        let path = options.isEmpty ? "/insecure/\(source)" : "/insecure/\(options)/\(source)"
        return try ImgproxyGrammar.parse(path: path, presets: presets)
    }

    static func imgproxyOptions(_ options: String, presets: [String: [String]] = [:]) throws(ImageURLError) -> ImageOptions {
        try imgproxy(options, presets: presets).request.options
    }

    static func imgix(_ query: String, path: String = "/a/b/k", presets: [String: [String]] = [:]) throws(ImageURLError) -> ImgixURL {
        try ImgixGrammar.parse(path: path, query: query, presets: presets)
    }

    static func imgixOptions(_ query: String, presets: [String: [String]] = [:]) throws(ImageURLError) -> ImageOptions {
        try imgix(query, presets: presets).request.options
    }

    /// The reason of the error `body` throws, or nil when it does not throw.
    static func reason(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as ImageURLError {
            return error.reason
        } catch {
            return "unexpected \(error)"
        }
    }

    static func base64URL(_ text: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let bytes = Array(text.utf8)
        var out = ""
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            var value = 0
            for (offset, byte) in chunk.enumerated() { value |= Int(byte) << (16 - 8 * offset) }
            for position in 0...chunk.count { out.append(alphabet[(value >> (18 - 6 * position)) & 63]) }
            index += 3
        }
        return out
    }
}

/// One table row: an input, and what the default options become.
struct OptionCase: Sendable, CustomTestStringConvertible {
    let input: String
    let edit: @Sendable (inout ImageOptions) -> Void

    init(_ input: String, _ edit: @escaping @Sendable (inout ImageOptions) -> Void) {
        self.input = input
        self.edit = edit
    }

    var expected: ImageOptions {
        var options = ImageOptions()
        edit(&options)
        return options
    }

    var testDescription: String { input }
}

/// One malformed input and the reason it must be refused with.
struct RefusalCase: Sendable, CustomTestStringConvertible {
    let input: String
    let reason: String

    init(_ input: String, _ reason: String) {
        self.input = input
        self.reason = reason
    }

    var testDescription: String { "\(input) → \(reason)" }
}
