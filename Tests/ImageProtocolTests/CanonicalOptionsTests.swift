import ImageProtocol
import Testing

@Suite("canonical options")
struct CanonicalOptionsTests {
    struct Equivalence: Sendable, CustomTestStringConvertible {
        let imgproxy: String
        let imgix: String
        let canonical: String
        var testDescription: String { "\(imgproxy) ≡ ?\(imgix)" }
    }

    /// The same rendition asked for in each grammar. imgix's `fit=crop` upscales, so its imgproxy
    /// twin is `rs:fill:…:1` (enlarge).
    static let equivalences: [Equivalence] = [
        Equivalence(
            imgproxy: "rs:fill:300:200:1/plain/s3://b/k@webp", imgix: "w=300&h=200&fit=crop&fm=webp", canonical: "rt:fill/w:300/h:200/el:1/f:webp"),
        Equivalence(imgproxy: "w:300/el:1/plain/s3://b/k", imgix: "w=300", canonical: "w:300/el:1"),
        Equivalence(imgproxy: "rs:fit:300:300/plain/s3://b/k", imgix: "w=300&h=300&fit=max", canonical: "w:300/h:300"),
        Equivalence(
            imgproxy: "rs:fill:100:100:1/g:nowe/q:60/plain/s3://b/k", imgix: "fit=crop&crop=top,left&w=100&h=100&q=60",
            canonical: "rt:fill/w:100/h:100/el:1/g:nowe/q:60"
        ),
        Equivalence(
            imgproxy: "rs:fill:10:10:1/g:fp:0.25:0.5/plain/s3://b/k@png", imgix: "fm=png&fit=crop&w=10&h=10&crop=focalpoint&fp-x=0.25",
            canonical: "rt:fill/w:10/h:10/el:1/g:fp:0.25:0.5/f:png"
        ),
        Equivalence(
            imgproxy: "el:1/bg:ff0000/pd:5/bl:2/fl:1:1/att:1/fn:a%20b/cb:7/plain/s3://b/k",
            imgix: "bg=FF0000&pad=5&blur=40&flip=hv&dl=a%20b&cb=7", canonical: "el:1/pd:5:5:5:5/fl:1:1/bg:ff0000/bl:2/cb:7/fn:a%20b/att:1"
        ),
        Equivalence(
            imgproxy: "rs:fill-down:64:64/f:auto/q:45/exp:1700000000/plain/s3://b/k",
            imgix: "fit=min&w=64&h=64&auto=compress,format&expires=1700000000", canonical: "rt:fill-down/w:64/h:64/q:45/f:auto/exp:1700000000"
        ),
        Equivalence(
            imgproxy: "el:1/c:300:200:nowe:10:20/dpr:2/jpgo:1/f:jpg/plain/s3://b/k",
            imgix: "rect=10,20,300,200&dpr=2&fm=pjpg", canonical: "el:1/dpr:2/c:300:200:nowe:10:20/f:jpg/prog:1"
        ),
    ]

    @Test(arguments: equivalences)
    func bothGrammarsAgree(_ row: Equivalence) throws {
        let fromImgproxy = try ImgproxyGrammar.parse(path: "/insecure/" + row.imgproxy).request
        let fromImgix = try ImgixGrammar.parse(path: "/a/b/k", query: row.imgix).request
        #expect(fromImgproxy.options.canonical == row.canonical)
        #expect(fromImgix.options.canonical == row.canonical)
        #expect(fromImgproxy.options == fromImgix.options)
        #expect(fromImgproxy.source == fromImgix.source)
    }

    @Test func defaultsSerialiseToNothing() {
        #expect(ImageOptions().canonical == "")
    }

    @Test func spellingsWithTheSameEffectAgree() throws {
        let spellings = ["w:300/h:200", "s:300:200", "rs::300:200", "size:300:200:0/c:0:0/pd:0/wm:0", "h:200/w:300/ex:0:so"]
        let canonical = try spellings.map { try GrammarFixture.imgproxyOptions($0).canonical }
        #expect(Set(canonical) == ["w:300/h:200"])
    }

    @Test func everyFieldHasAStableForm() throws {
        var options = ImageOptions()
        options.resizingType = .force
        options.width = 1
        options.height = 2
        options.minWidth = 3
        options.minHeight = 4
        options.enlarge = true
        options.extend = Gravity(.south, x: 1.5)
        options.dpr = 1.25
        options.zoomX = 2
        options.gravity = Gravity(.smart)
        options.crop = Crop(width: 0.5, height: 10, gravity: Gravity(.focusPoint, x: 0, y: 1))
        options.trim = Trim(threshold: 5, color: RGBColor(red: 1, green: 2, blue: 3), equalVertical: true)
        options.padding = Padding(top: 1, right: 2, bottom: 3, left: 4)
        options.autoRotate = false
        options.rotate = 180
        options.flipVertical = true
        options.background = RGBColor(red: 255, green: 255, blue: 255, alpha: 0.5)
        options.blur = 0.1
        options.sharpen = 3
        options.pixelate = 4
        options.quality = 77
        options.formatQuality = [.webp: 60, .avif: 50, .jpeg: 80]
        options.format = .json
        options.progressive = true
        options.watermark = Watermark(
            opacity: 0.5, position: Gravity(.east, x: 3), tile: false, scale: 0.2,
            source: ObjectReference(bucket: "m", key: "a b/c.png", versionId: "v1")
        )
        options.stripMetadata = false
        options.cacheBuster = "x/y:z"
        options.filename = "n"
        options.attachment = true
        options.expires = 99
        let expected = [
            "rt:force", "w:1", "h:2", "mw:3", "mh:4", "el:1", "ex:so:1.5:0", "dpr:1.25", "z:2:1", "g:sm", "c:0.5:10:fp:0:1",
            "t:5:010203:0:1", "pd:1:2:3:4", "ar:0", "rot:180", "fl:0:1", "bg:ffffff:0.5", "bl:0.1", "sh:3", "pix:4", "q:77",
            "fq:avif:50:jpg:80:webp:60", "f:json", "prog:1", "wm:0.5:ea:3:0:0.2:s3://m/a%20b/c.png?versionId=v1", "sm:0",
            "cb:x%2Fy%3Az", "fn:n", "att:1", "exp:99",
        ].joined(separator: "/")
        #expect(options.canonical == expected)
    }

    @Test func tiledWatermarkAndRemoteSource() throws {
        let url = try ImgproxyGrammar.parse(path: "/x/wm:1:re/plain/https://example.com/a%20b.jpg")
        #expect(url.request.options.canonical == "wm:1:re:0:0:0")
        #expect(url.request.source.canonical == "url:https%3A%2F%2Fexample.com%2Fa%20b.jpg")
    }

    @Test func sourceCanonical() {
        #expect(ImageSource.object(ObjectReference(bucket: "b", key: "dir/k é.jpg")).canonical == "s3://b/dir/k%20%C3%A9.jpg")
        #expect(ImageSource.object(ObjectReference(bucket: "b", key: "k", versionId: "3/4")).canonical == "s3://b/k?versionId=3%2F4")
    }

    struct SnapCase: Sendable, CustomTestStringConvertible {
        let width: Int
        let height: Int
        let allowed: [Int]
        let expectedWidth: Int
        let expectedHeight: Int
        var testDescription: String { "\(width)x\(height) in \(allowed)" }
    }

    static let snaps: [SnapCase] = [
        SnapCase(width: 300, height: 0, allowed: [100, 320, 640], expectedWidth: 320, expectedHeight: 0),
        SnapCase(width: 320, height: 0, allowed: [640, 320, 100], expectedWidth: 320, expectedHeight: 0),
        SnapCase(width: 50, height: 0, allowed: [100, 320], expectedWidth: 100, expectedHeight: 0),
        SnapCase(width: 2000, height: 0, allowed: [100, 320, 640], expectedWidth: 640, expectedHeight: 0),
        SnapCase(width: 300, height: 200, allowed: [600], expectedWidth: 600, expectedHeight: 400),
        SnapCase(width: 0, height: 200, allowed: [600], expectedWidth: 0, expectedHeight: 200),
        SnapCase(width: 300, height: 0, allowed: [], expectedWidth: 300, expectedHeight: 0),
        SnapCase(width: 300, height: 0, allowed: [0, -5], expectedWidth: 300, expectedHeight: 0),
    ]

    @Test(arguments: snaps)
    func widthSnapping(_ row: SnapCase) {
        var options = ImageOptions()
        options.width = row.width
        options.height = row.height
        let snapped = options.snappedWidth(to: row.allowed)
        #expect(snapped.width == row.expectedWidth)
        #expect(snapped.height == row.expectedHeight)
    }

    @Test func expiry() throws {
        let options = try GrammarFixture.imgproxyOptions("exp:1700000000")
        try options.checkExpiry(now: 1_699_999_999)
        try options.checkExpiry(now: 1_700_000_000)
        #expect(throws: ImageURLError.expired) { try options.checkExpiry(now: 1_700_000_001) }
        try ImageOptions().checkExpiry(now: Int.max)

        let imgix = try GrammarFixture.imgixOptions("expires=1700000000")
        #expect(throws: ImageURLError.expired) { try imgix.checkExpiry(now: 1_800_000_000) }
    }
}
