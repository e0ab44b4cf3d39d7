import ImageProtocol
import Testing

@Suite("imgproxy grammar: sources, extensions, info")
struct ImgproxySourceTests {
    struct SourceCase: Sendable, CustomTestStringConvertible {
        let path: String
        let source: ImageSource
        let format: FormatRequest?
        var testDescription: String { path }
    }

    static let b64 = GrammarFixture.base64URL

    static let sources: [SourceCase] = [
        SourceCase(path: "/x/plain/s3://bucket/key.jpg", source: .object(ObjectReference(bucket: "bucket", key: "key.jpg")), format: nil),
        SourceCase(
            path: "/x/w:10/plain/s3://bucket/dir/sub/key.jpg@webp",
            source: .object(ObjectReference(bucket: "bucket", key: "dir/sub/key.jpg")), format: .fixed(.webp)
        ),
        SourceCase(
            path: "/x/plain/s3%3A%2F%2Fbucket%2Fmy%20key%40x.png@png",
            source: .object(ObjectReference(bucket: "bucket", key: "my key@x.png")), format: .fixed(.png)
        ),
        SourceCase(
            path: "/x/plain/s3://bucket/key.jpg%3Fv123",
            source: .object(ObjectReference(bucket: "bucket", key: "key.jpg", versionId: "v123")), format: nil
        ),
        SourceCase(path: "/x/plain/s3://bucket/k@", source: .object(ObjectReference(bucket: "bucket", key: "k")), format: nil),
        SourceCase(path: "/x/plain/S3://bucket/k", source: .object(ObjectReference(bucket: "bucket", key: "k")), format: nil),
        SourceCase(path: "/x/plain/s3://bucket/a+b", source: .object(ObjectReference(bucket: "bucket", key: "a+b")), format: nil),
        SourceCase(
            path: "/x/plain/https://example.com/a.jpg%3Fsize%3D1@auto", source: .remote("https://example.com/a.jpg?size=1"), format: .auto
        ),
        SourceCase(path: "/x/\(b64("s3://bucket/key.jpg"))", source: .object(ObjectReference(bucket: "bucket", key: "key.jpg")), format: nil),
        SourceCase(
            path: "/x/\(b64("s3://bucket/key.jpg")).avif", source: .object(ObjectReference(bucket: "bucket", key: "key.jpg")),
            format: .fixed(.avif)
        ),
        SourceCase(
            path: "/x/f:png/\(b64("s3://bucket/key.jpg?ver"))==.jpg",
            source: .object(ObjectReference(bucket: "bucket", key: "key.jpg", versionId: "ver")), format: .fixed(.jpeg)
        ),
        // imgproxy's documented split form: the encoded URL may be cut by `/` anywhere.
        SourceCase(
            path: "/x/aHR0cDovL2V4YW1w/bGUuY29tL2ltYWdl/cy9jdXJpb3NpdHku/anBn.png",
            source: .remote("http://example.com/images/curiosity.jpg"), format: .fixed(.png)
        ),
    ]

    @Test(arguments: sources)
    func sourceAndExtension(_ row: SourceCase) throws {
        let url = try ImgproxyGrammar.parse(path: row.path)
        #expect(url.request.source == row.source)
        #expect(url.request.options.format == row.format)
        #expect(!url.isInfo)
    }

    static let refusals: [RefusalCase] = [
        RefusalCase("/x/plain/", ImageURLError.Reason.invalidSource),
        RefusalCase("/x/plain/@png", ImageURLError.Reason.invalidSource),
        RefusalCase("/x/plain/s3://b/k@png@jpg", ImageURLError.Reason.invalidSource),
        RefusalCase("/x/plain/s3:///key", ImageURLError.Reason.invalidSource),
        RefusalCase("/x/plain/s3://bucket/", ImageURLError.Reason.invalidSource),
        RefusalCase("/x/plain/s3://bucket", ImageURLError.Reason.invalidSource),
        RefusalCase("/x/plain/file:///etc/passwd", ImageURLError.Reason.invalidSource),
        RefusalCase("/x/plain/gs://bucket/key", ImageURLError.Reason.invalidSource),
        RefusalCase("/x/plain/local:///a.jpg", ImageURLError.Reason.invalidSource),
        RefusalCase("/x/plain/http:///nohost", ImageURLError.Reason.invalidSource),
        RefusalCase("/x/plain/s3://b/k%zz", ImageURLError.Reason.invalidSource),
        RefusalCase("/x/plain/s3://b/k%FF", ImageURLError.Reason.invalidSource),
        RefusalCase("/x/plain/s3://b/k@tiff", ImageURLError.Reason.invalidOption),
        RefusalCase("/x/\(b64("s3://b/k")).bmp", ImageURLError.Reason.invalidOption),
        RefusalCase("/x/not*base64", ImageURLError.Reason.invalidSource),
        RefusalCase("/x/a", ImageURLError.Reason.invalidSource),
        RefusalCase("/x/\(b64("ftp://host/a.jpg"))", ImageURLError.Reason.invalidSource),
        RefusalCase("/x/\(b64("s3://b/k")).png.jpg", ImageURLError.Reason.invalidSource),
        RefusalCase("/x/.png", ImageURLError.Reason.invalidSource),
        RefusalCase("/x/enc/abcdef", ImageURLError.Reason.invalidSource),
        RefusalCase("/x/fill/300/400/sm/0/\(b64("s3://b/k"))", ImageURLError.Reason.invalidSource),
        RefusalCase("/x/w:100", ImageURLError.Reason.invalidSource),
        RefusalCase("/x/w:100/", ImageURLError.Reason.invalidSource),
        RefusalCase("/x", ImageURLError.Reason.invalidSource),
        RefusalCase("/x/", ImageURLError.Reason.invalidSource),
        RefusalCase("x/plain/s3://b/k", ImageURLError.Reason.invalidSource),
        RefusalCase("", ImageURLError.Reason.invalidSource),
    ]

    @Test(arguments: refusals)
    func malformedSourceIsRefused(_ row: RefusalCase) {
        #expect(GrammarFixture.reason { _ = try ImgproxyGrammar.parse(path: row.input) } == row.reason)
    }

    @Test func signatureAndSignedPathAreSplitAsSent() throws {
        let url = try ImgproxyGrammar.parse(path: "/abc_-123/rs:fill:300:400:0/g:sm/plain/s3://b/my%20k.jpg@png")
        #expect(url.signature == "abc_-123")
        #expect(url.signedPath == "/rs:fill:300:400:0/g:sm/plain/s3://b/my%20k.jpg@png")
    }

    @Test func infoFormAfterTheSignature() throws {
        let url = try ImgproxyGrammar.parse(path: "/sig/info/c:10:10/plain/s3://b/k@webp")
        #expect(url.isInfo)
        #expect(url.signature == "sig")
        #expect(url.signedPath == "/info/c:10:10/plain/s3://b/k@webp")
        #expect(url.request.options.format == .json)
        #expect(url.request.options.crop == Crop(width: 10, height: 10))
        #expect(url.request.source == .object(ObjectReference(bucket: "b", key: "k")))
    }

    @Test func imgproxysOwnInfoForm() throws {
        let url = try ImgproxyGrammar.parse(path: "/info/sig/\(Self.b64("s3://b/k"))")
        #expect(url.isInfo)
        #expect(url.signature == "sig")
        #expect(url.signedPath == "/\(Self.b64("s3://b/k"))")
        #expect(url.request.options.format == .json)
    }

    @Test func extensionAppliesAfterOptions() throws {
        let options = try GrammarFixture.imgproxyOptions("f:png/rs:fit:10")
        #expect(options.format == .fixed(.png))
        let overridden = try ImgproxyGrammar.parse(path: "/x/f:png/plain/s3://b/k@webp")
        #expect(overridden.request.options.format == .fixed(.webp))
    }
}
