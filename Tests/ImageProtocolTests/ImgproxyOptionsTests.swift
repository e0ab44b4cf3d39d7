import ImageProtocol
import Testing

@Suite("imgproxy processing options")
struct ImgproxyOptionsTests {
    static let sizing: [OptionCase] = [
        OptionCase("rs:fill:300:200") {
            $0.resizingType = .fill
            $0.width = 300
            $0.height = 200
        },
        OptionCase("resize:fill-down:300:200:1:1") {
            $0.resizingType = .fillDown
            $0.width = 300
            $0.height = 200
            $0.enlarge = true
            $0.extend = .center
        },
        OptionCase("rs:force:10:20:t:true:so:5:6") {
            $0.resizingType = .force
            $0.width = 10
            $0.height = 20
            $0.enlarge = true
            $0.extend = Gravity(.south, x: 5, y: 6)
        },
        OptionCase("rs::300") { $0.width = 300 },
        OptionCase("rs:auto") { $0.resizingType = .auto },
        OptionCase("s:100:50") {
            $0.width = 100
            $0.height = 50
        },
        OptionCase("size:100::1") {
            $0.width = 100
            $0.enlarge = true
        },
        OptionCase("s:::0:1:fp:0.25:0.75") { $0.extend = Gravity(.focusPoint, x: 0.25, y: 0.75) },
        OptionCase("rt:fill") { $0.resizingType = .fill },
        OptionCase("resizing_type:force") { $0.resizingType = .force },
        OptionCase("w:640") { $0.width = 640 },
        OptionCase("width:+640") { $0.width = 640 },
        OptionCase("h:480") { $0.height = 480 },
        OptionCase("height:0") { $0.height = 0 },
        OptionCase("mw:100") { $0.minWidth = 100 },
        OptionCase("min-width:100") { $0.minWidth = 100 },
        OptionCase("mh:100") { $0.minHeight = 100 },
        OptionCase("min-height:100") { $0.minHeight = 100 },
        OptionCase("z:1.5") {
            $0.zoomX = 1.5
            $0.zoomY = 1.5
        },
        OptionCase("zoom:2:0.5") {
            $0.zoomX = 2
            $0.zoomY = 0.5
        },
        OptionCase("dpr:2") { $0.dpr = 2 },
        OptionCase("dpr:0.5") { $0.dpr = 0.5 },
        OptionCase("dpr:5") { $0.dpr = 5 },
        OptionCase("el:1") { $0.enlarge = true },
        OptionCase("enlarge:t") { $0.enlarge = true },
        OptionCase("enlarge:TRUE") { $0.enlarge = true },
        OptionCase("el:1/el:false") { $0.enlarge = false },
        OptionCase("ex:1") { $0.extend = .center },
        OptionCase("extend:true:nowe:3:4") { $0.extend = Gravity(.northWest, x: 3, y: 4) },
        OptionCase("ex:1:so/ex:0") { $0.extend = nil },
        OptionCase("ex:t:fp:0.5:0") { $0.extend = Gravity(.focusPoint, x: 0.5, y: 0) },
    ]

    static let geometry: [OptionCase] = [
        OptionCase("g:no") { $0.gravity = Gravity(.north) },
        OptionCase("gravity:soea:10:0.5") { $0.gravity = Gravity(.southEast, x: 10, y: 0.5) },
        OptionCase("g:we:-5") { $0.gravity = Gravity(.west, x: -5) },
        OptionCase("g:ea") { $0.gravity = Gravity(.east) },
        OptionCase("g:so") { $0.gravity = Gravity(.south) },
        OptionCase("g:noea") { $0.gravity = Gravity(.northEast) },
        OptionCase("g:sowe") { $0.gravity = Gravity(.southWest) },
        OptionCase("g:no:10:10/g:ce") { $0.gravity = .center },
        OptionCase("g:sm") { $0.gravity = Gravity(.smart) },
        OptionCase("g:en") { $0.gravity = Gravity(.entropy) },
        OptionCase("g:fp:0.3:0.7") { $0.gravity = Gravity(.focusPoint, x: 0.3, y: 0.7) },
        OptionCase("c:100:50") { $0.crop = Crop(width: 100, height: 50) },
        OptionCase("crop:0.5:0.5:nowe:10:20") { $0.crop = Crop(width: 0.5, height: 0.5, gravity: Gravity(.northWest, x: 10, y: 20)) },
        OptionCase("c:100") { $0.crop = Crop(width: 100, height: 0) },
        OptionCase("c:100:100:sm") { $0.crop = Crop(width: 100, height: 100, gravity: Gravity(.smart)) },
        OptionCase("c:0:0") { _ in },
        OptionCase("g:no/c:10:10:no") {
            $0.gravity = Gravity(.north)
            $0.crop = Crop(width: 10, height: 10)
        },
        OptionCase("t:10") { $0.trim = Trim(threshold: 10) },
        OptionCase("trim:10:fff:1:0") {
            $0.trim = Trim(threshold: 10, color: RGBColor(red: 255, green: 255, blue: 255), equalHorizontal: true)
        },
        OptionCase("t:0:FF00FF::t") { $0.trim = Trim(threshold: 0, color: RGBColor(red: 255, green: 0, blue: 255), equalVertical: true) },
        OptionCase("t:10/t:") { $0.trim = nil },
        OptionCase("pd:10") { $0.padding = Padding(top: 10, right: 10, bottom: 10, left: 10) },
        OptionCase("padding:10:20") { $0.padding = Padding(top: 10, right: 20, bottom: 10, left: 20) },
        OptionCase("pd:1:2:3") { $0.padding = Padding(top: 1, right: 2, bottom: 3, left: 2) },
        OptionCase("pd:1:2:3:4") { $0.padding = Padding(top: 1, right: 2, bottom: 3, left: 4) },
        OptionCase("pd:5/pd::7") { $0.padding = Padding(top: 5, right: 7, bottom: 5, left: 7) },
        OptionCase("pd:0") { _ in },
        OptionCase("ar:0") { $0.autoRotate = false },
        OptionCase("auto_rotate:f") { $0.autoRotate = false },
        OptionCase("rot:90") { $0.rotate = 90 },
        OptionCase("rotate:-90") { $0.rotate = 270 },
        OptionCase("rot:450") { $0.rotate = 90 },
        OptionCase("fl:1") { $0.flipHorizontal = true },
        OptionCase("flip:0:1") { $0.flipVertical = true },
        OptionCase("fl:t:t") {
            $0.flipHorizontal = true
            $0.flipVertical = true
        },
    ]

    static let effects: [OptionCase] = [
        OptionCase("bg:255:0:10") { $0.background = RGBColor(red: 255, green: 0, blue: 10) },
        OptionCase("background:ff000a") { $0.background = RGBColor(red: 255, green: 0, blue: 10) },
        OptionCase("bg:abc") { $0.background = RGBColor(red: 0xaa, green: 0xbb, blue: 0xcc) },
        OptionCase("bg:fff/bg:") { $0.background = nil },
        OptionCase("bl:2") { $0.blur = 2 },
        OptionCase("blur:0.5") { $0.blur = 0.5 },
        OptionCase("sh:1.5") { $0.sharpen = 1.5 },
        OptionCase("sharpen:0.7") { $0.sharpen = 0.7 },
        OptionCase("pix:8") { $0.pixelate = 8 },
        OptionCase("pixelate:0") { $0.pixelate = 0 },
        OptionCase("q:80") { $0.quality = 80 },
        OptionCase("quality:0") { $0.quality = 0 },
        OptionCase("fq:jpg:70:webp:60") { $0.formatQuality = [.jpeg: 70, .webp: 60] },
        OptionCase("format_quality:jpeg:70/fq:avif:40") { $0.formatQuality = [.jpeg: 70, .avif: 40] },
        OptionCase("f:png") { $0.format = .fixed(.png) },
        OptionCase("format:jpeg") { $0.format = .fixed(.jpeg) },
        OptionCase("ext:webp") { $0.format = .fixed(.webp) },
        OptionCase("f:avif") { $0.format = .fixed(.avif) },
        OptionCase("f:gif") { $0.format = .fixed(.gif) },
        OptionCase("f:jpg") { $0.format = .fixed(.jpeg) },
        OptionCase("f:auto") { $0.format = .auto },
        OptionCase("wm:0.5") { $0.watermark = Watermark(opacity: 0.5) },
        OptionCase("watermark:1:soea:10:20:0.25") {
            $0.watermark = Watermark(opacity: 1, position: Gravity(.southEast, x: 10, y: 20), scale: 0.25)
        },
        OptionCase("wm:0.3:re:5:5") { $0.watermark = Watermark(opacity: 0.3, position: Gravity(.center, x: 5, y: 5), tile: true) },
        OptionCase("wm:0") { _ in },
        OptionCase("wm:1/wmu:\(GrammarFixture.base64URL("s3://marks/logo.png"))") {
            $0.watermark = Watermark(opacity: 1, source: ObjectReference(bucket: "marks", key: "logo.png"))
        },
        OptionCase("watermark_url:\(GrammarFixture.base64URL("s3://marks/logo.png?v2"))/wm:1") {
            $0.watermark = Watermark(opacity: 1, source: ObjectReference(bucket: "marks", key: "logo.png", versionId: "v2"))
        },
        OptionCase("wmu:\(GrammarFixture.base64URL("s3://marks/logo.png"))") { _ in },
        OptionCase("sm:0") { $0.stripMetadata = false },
        OptionCase("strip_metadata:1") { $0.stripMetadata = true },
        OptionCase("cb:v2") { $0.cacheBuster = "v2" },
        OptionCase("cachebuster:a%20b") { $0.cacheBuster = "a b" },
        OptionCase("fn:holiday") { $0.filename = "holiday" },
        OptionCase("filename:\(GrammarFixture.base64URL("été.jpg")):1") { $0.filename = "été.jpg" },
        OptionCase("fn:my%20photo:0") { $0.filename = "my photo" },
        OptionCase("att:1") { $0.attachment = true },
        OptionCase("return_attachment:true") { $0.attachment = true },
        OptionCase("exp:1700000000") { $0.expires = 1_700_000_000 },
        OptionCase("expires:0") { $0.expires = nil },
        OptionCase("jpgo:1") { $0.progressive = true },
        OptionCase("jpeg_options:true:1:1") { $0.progressive = true },
    ]

    @Test(arguments: sizing + geometry + effects)
    func optionSetsItsField(_ row: OptionCase) throws {
        #expect(try GrammarFixture.imgproxyOptions(row.input) == row.expected)
    }

    @Test func everyAliasIsKnown() throws {
        let aliases = [
            "rs:fit", "resize:fit", "s:1", "size:1", "rt:fit", "resizing_type:fit", "w:1", "width:1", "h:1", "height:1",
            "mw:1", "min-width:1", "mh:1", "min-height:1", "z:1", "zoom:1", "dpr:1", "el:0", "enlarge:0", "ex:0", "extend:0",
            "g:ce", "gravity:ce", "c:1", "crop:1", "t:1", "trim:1", "pd:1", "padding:1", "ar:1", "auto_rotate:1", "rot:0",
            "rotate:0", "fl:0", "flip:0", "bg:fff", "background:fff", "bl:1", "blur:1", "sh:1", "sharpen:1", "pix:1",
            "pixelate:1", "q:1", "quality:1", "fq:png:1", "format_quality:png:1", "f:png", "format:png", "ext:png",
            "wm:1", "watermark:1", "wmu:", "watermark_url:", "sm:1", "strip_metadata:1", "cb:x", "cachebuster:x",
            "fn:x", "filename:x", "att:0", "return_attachment:0", "exp:0", "expires:0", "jpgo:0", "jpeg_options:0",
        ]
        for alias in aliases {
            #expect(throws: Never.self, "\(alias)") { try GrammarFixture.imgproxyOptions(alias) }
        }
    }

    @Test func laterOptionsWin() throws {
        let options = try GrammarFixture.imgproxyOptions("w:100/rs:fill:300:200/w:50/q:10/q:90")
        #expect(options.width == 50)
        #expect(options.height == 200)
        #expect(options.resizingType == .fill)
        #expect(options.quality == 90)
    }

    @Test func noOptionsGiveTheDefaults() throws {
        let url = try GrammarFixture.imgproxy("")
        #expect(url.request.options == ImageOptions())
        #expect(url.request.presets.isEmpty)
        #expect(!url.request.onlyPresets)
    }
}
