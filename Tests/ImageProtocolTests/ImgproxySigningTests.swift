import ImageProtocol
import Testing

@Suite("imgproxy URL signatures")
struct ImgproxySigningTests {
    /// imgproxy's examples/signature.java (and the PHP, Clojure… examples): this key/salt pair
    /// signs `/rs:fit:300:300/plain/http://img.example.com/pretty/image.jpg` as
    /// `m3k5QADfcKPDj-SDI2AIogZbC3FlAXszuwhtWXYqavc`.
    @Test func documentedExampleSignature() throws {
        let path = "/rs:fit:300:300/plain/http://img.example.com/pretty/image.jpg"
        #expect(ImgproxySigner.sign(path: path, with: GrammarFixture.docKey) == "m3k5QADfcKPDj-SDI2AIogZbC3FlAXszuwhtWXYqavc")
        #expect(ImgproxySigner.signedPath(path, with: GrammarFixture.docKey) == "/m3k5QADfcKPDj-SDI2AIogZbC3FlAXszuwhtWXYqavc" + path)

        let url = try ImgproxyGrammar.parse(path: "/m3k5QADfcKPDj-SDI2AIogZbC3FlAXszuwhtWXYqavc" + path)
        #expect(url.request.source == .remote("http://img.example.com/pretty/image.jpg"))
        try ImgproxySigner.verify(url, keys: [GrammarFixture.docKey], allowUnsigned: false)
    }

    /// imgproxy 2.x docs "Signing the URL": key `secret`, salt `hello`, basic-format path.
    @Test func documentedStepByStepExample() throws {
        let key = try #require(ImageSigningKey(hexKey: "736563726574", hexSalt: "68656C6C6F"))
        let path = "/fill/300/400/sm/0/aHR0cDovL2V4YW1w/bGUuY29tL2ltYWdl/cy9jdXJpb3NpdHku/anBn.png"
        #expect(ImgproxySigner.sign(path: path, with: key) == "AfrOrF3gWeDA6VOlDG4TzxMv39O7MXnF4CXpKUwGqRM")
    }

    @Test func signedMagpieURLVerifies() throws {
        let path = "/rs:fill:300:200/g:sm/plain/s3://photos/2024/cat%20one.jpg@webp"
        let signed = ImgproxySigner.signedPath(path, with: GrammarFixture.docKey)
        let url = try ImgproxyGrammar.parse(path: signed)
        try ImgproxySigner.verify(url, keys: [GrammarFixture.docKey], allowUnsigned: false)
    }

    @Test func anyRotatedKeyVerifies() throws {
        let path = "/w:100/plain/s3://b/k"
        let url = try ImgproxyGrammar.parse(path: ImgproxySigner.signedPath(path, with: GrammarFixture.otherKey))
        try ImgproxySigner.verify(url, keys: [GrammarFixture.docKey, GrammarFixture.otherKey], allowUnsigned: false)
        #expect(throws: ImageURLError.invalidSignature) {
            try ImgproxySigner.verify(url, keys: [GrammarFixture.docKey], allowUnsigned: false)
        }
    }

    @Test func tamperedPathIsRefused() throws {
        let signed = ImgproxySigner.signedPath("/w:100/plain/s3://b/k", with: GrammarFixture.docKey)
        let tampered = signed.replacing("w:100", with: "w:900")
        let url = try ImgproxyGrammar.parse(path: tampered)
        #expect(throws: ImageURLError.invalidSignature) {
            try ImgproxySigner.verify(url, keys: [GrammarFixture.docKey], allowUnsigned: false)
        }
        // Percent-encoding is part of what was signed: a re-encoded path does not verify.
        let reencoded = try ImgproxyGrammar.parse(path: signed.replacing("s3://", with: "s3%3A%2F%2F"))
        #expect(throws: ImageURLError.invalidSignature) {
            try ImgproxySigner.verify(reencoded, keys: [GrammarFixture.docKey], allowUnsigned: false)
        }
    }

    struct UnsignedCase: Sendable, CustomTestStringConvertible {
        let signature: String
        let keys: [ImageSigningKey]
        let allowUnsigned: Bool
        let reason: String?
        var testDescription: String { "\(signature) keys:\(keys.count) allow:\(allowUnsigned)" }
    }

    static let unsigned: [UnsignedCase] = [
        UnsignedCase(signature: "insecure", keys: [GrammarFixture.docKey], allowUnsigned: true, reason: nil),
        UnsignedCase(signature: "unsafe", keys: [GrammarFixture.docKey], allowUnsigned: true, reason: nil),
        UnsignedCase(signature: "_", keys: [GrammarFixture.docKey], allowUnsigned: true, reason: nil),
        UnsignedCase(signature: "anything", keys: [], allowUnsigned: true, reason: nil),
        UnsignedCase(signature: "garbage", keys: [GrammarFixture.docKey], allowUnsigned: true, reason: ImageURLError.Reason.invalidSignature),
        UnsignedCase(signature: "insecure", keys: [GrammarFixture.docKey], allowUnsigned: false, reason: ImageURLError.Reason.missingSignature),
        UnsignedCase(signature: "insecure", keys: [], allowUnsigned: false, reason: ImageURLError.Reason.missingSignature),
        UnsignedCase(signature: "garbage", keys: [], allowUnsigned: false, reason: ImageURLError.Reason.invalidSignature),
        UnsignedCase(
            signature: "m3k5QADfcKPDj-SDI2AIogZbC3FlAXszuwhtWXYqavc", keys: [GrammarFixture.docKey], allowUnsigned: false,
            reason: ImageURLError.Reason.invalidSignature
        ),
    ]

    @Test(arguments: unsigned)
    func unsignedPolicy(_ row: UnsignedCase) throws {
        let url = try ImgproxyGrammar.parse(path: "/\(row.signature)/w:1/plain/s3://b/k")
        #expect(GrammarFixture.reason { try ImgproxySigner.verify(url, keys: row.keys, allowUnsigned: row.allowUnsigned) } == row.reason)
    }

    @Test func hexKeysAreValidated() {
        #expect(ImageSigningKey(hexKey: "abc", hexSalt: "00") == nil)
        #expect(ImageSigningKey(hexKey: "zz", hexSalt: "00") == nil)
        #expect(ImageSigningKey(hexKey: "", hexSalt: "00") == nil)
        #expect(ImageSigningKey(hexKey: "00", hexSalt: "") == nil)
        #expect(ImageSigningKey(hexKey: "0aFF", hexSalt: "10")?.key == [0x0a, 0xff])
    }

    @Test func descriptionHidesTheSecret() {
        let text = "\(GrammarFixture.docKey)"
        #expect(!text.contains("943b"))
        #expect(!text.contains("["))
    }
}
