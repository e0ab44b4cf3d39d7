import ImageProtocol
import Testing

@Suite("imgix URL signatures")
struct ImgixSigningTests {
    static let key = GrammarFixture.docKey

    @Test func signedMessageDropsTheSignatureAndKeepsTheRest() {
        #expect(ImgixSigner.message(path: "/a/b/k", query: "") == "/a/b/k")
        #expect(ImgixSigner.message(path: "/a/b/k", query: "s=abc") == "/a/b/k")
        #expect(ImgixSigner.message(path: "/a/b/k", query: "w=1&s=abc&h=2") == "/a/b/k?w=1&h=2")
        #expect(ImgixSigner.message(path: "/a/b/k", query: "h=2&w=1") == "/a/b/k?h=2&w=1")
        #expect(ImgixSigner.message(path: "/a/b/my%20k", query: "dl=a%20b&&s") == "/a/b/my%20k?dl=a%20b")
        #expect(ImgixSigner.message(path: "/a/b/k", query: "ss=1&s=2") == "/a/b/k?ss=1")
    }

    /// Known answers computed independently with Python's `hmac` (HMAC-SHA256 over salt ‖ message,
    /// URL-safe Base64 without padding) for imgproxy's documented key/salt pair.
    @Test func knownAnswers() {
        #expect(ImgixSigner.sign(path: "/a/b/k", query: "w=300&fm=webp", with: Self.key) == "0d9iYNptxQkawuYAXqJTph3KGjH2R-7VUvByPjsaMBI")
        #expect(ImgixSigner.sign(path: "/a/b/k", query: "w=300&fm=webp&s=old", with: Self.key) == "0d9iYNptxQkawuYAXqJTph3KGjH2R-7VUvByPjsaMBI")
        #expect(ImgixSigner.sign(path: "/a/b/k", query: "", with: Self.key) == "7oKnrL34RnrpYXZD35eejyjY5sKmfbEsU7gKzqsnz74")
    }

    @Test func roundTrip() throws {
        let path = "/a/photos/cat%20one.jpg"
        let query = ImgixSigner.signedQuery(path: path, query: "w=300&h=200&fit=crop", with: Self.key)
        let url = try ImgixGrammar.parse(path: path, query: query)
        #expect(url.signature != nil)
        #expect(url.signedMessage == "/a/photos/cat%20one.jpg?w=300&h=200&fit=crop")
        try ImgixSigner.verify(url, keys: [GrammarFixture.otherKey, Self.key], allowUnsigned: false)

        let bare = try ImgixGrammar.parse(path: path, query: ImgixSigner.signedQuery(path: path, query: "", with: Self.key))
        #expect(bare.signedMessage == path)
        try ImgixSigner.verify(bare, keys: [Self.key], allowUnsigned: false)
    }

    @Test func signatureMaySitAnywhereInTheQuery() throws {
        let signature = ImgixSigner.sign(path: "/a/b/k", query: "w=1&h=2", with: Self.key)
        let url = try ImgixGrammar.parse(path: "/a/b/k", query: "w=1&s=\(signature)&h=2")
        try ImgixSigner.verify(url, keys: [Self.key], allowUnsigned: false)
    }

    @Test func tamperingIsRefused() throws {
        let query = ImgixSigner.signedQuery(path: "/a/b/k", query: "w=300", with: Self.key)
        let changedQuery = try ImgixGrammar.parse(path: "/a/b/k", query: query.replacing("w=300", with: "w=301"))
        let changedPath = try ImgixGrammar.parse(path: "/a/b/other", query: query)
        let reordered = try ImgixGrammar.parse(path: "/a/b/k", query: "h=1&" + query)
        for url in [changedQuery, changedPath, reordered] {
            #expect(throws: ImageURLError.invalidSignature) { try ImgixSigner.verify(url, keys: [Self.key], allowUnsigned: false) }
        }
    }

    @Test func unsignedPolicy() throws {
        let unsigned = try ImgixGrammar.parse(path: "/a/b/k", query: "w=1")
        #expect(throws: ImageURLError.missingSignature) { try ImgixSigner.verify(unsigned, keys: [Self.key], allowUnsigned: false) }
        try ImgixSigner.verify(unsigned, keys: [Self.key], allowUnsigned: true)

        let wrong = try ImgixGrammar.parse(path: "/a/b/k", query: "w=1&s=nope")
        #expect(throws: ImageURLError.invalidSignature) { try ImgixSigner.verify(wrong, keys: [Self.key], allowUnsigned: true) }
        #expect(throws: ImageURLError.invalidSignature) { try ImgixSigner.verify(wrong, keys: [], allowUnsigned: false) }
        try ImgixSigner.verify(wrong, keys: [], allowUnsigned: true)
    }
}
