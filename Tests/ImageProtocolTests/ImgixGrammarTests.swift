import ImageProtocol
import Testing

@Suite("imgix query grammar")
struct ImgixGrammarTests {
    /// Every case below is relative to the imgix default (`fit=clip`: fit + enlarge).
    static func clip(_ edit: @escaping @Sendable (inout ImageOptions) -> Void) -> @Sendable (inout ImageOptions) -> Void {
        { options in
            options.enlarge = true
            edit(&options)
        }
    }

    static let parameters: [OptionCase] = [
        OptionCase("", clip { _ in }),
        OptionCase("w=300", clip { $0.width = 300 }),
        OptionCase("h=200", clip { $0.height = 200 }),
        OptionCase(
            "fit=clip&w=300&h=200",
            clip {
                $0.width = 300
                $0.height = 200
            }),
        OptionCase("fit=max", clip { $0.enlarge = false }),
        OptionCase(
            "fit=min",
            clip {
                $0.resizingType = .fillDown
                $0.enlarge = false
            }),
        OptionCase("fit=crop", clip { $0.resizingType = .fill }),
        OptionCase("fit=scale", clip { $0.resizingType = .force }),
        OptionCase("fit=fill", clip { $0.extend = .center }),
        OptionCase(
            "fit=fillmax",
            clip {
                $0.enlarge = false
                $0.extend = .center
            }),
        OptionCase("crop=top", clip { $0.gravity = Gravity(.north) }),
        OptionCase("crop=bottom,right", clip { $0.gravity = Gravity(.southEast) }),
        OptionCase("crop=top,left", clip { $0.gravity = Gravity(.northWest) }),
        OptionCase("crop=left", clip { $0.gravity = Gravity(.west) }),
        OptionCase("crop=entropy", clip { $0.gravity = Gravity(.entropy) }),
        OptionCase("crop=edges", clip { $0.gravity = Gravity(.entropy) }),
        OptionCase("crop=entropy,top", clip { $0.gravity = Gravity(.entropy) }),
        OptionCase("crop=focalpoint&fp-x=0.2&fp-y=0.8", clip { $0.gravity = Gravity(.focusPoint, x: 0.2, y: 0.8) }),
        OptionCase("crop=focalpoint", clip { $0.gravity = Gravity(.focusPoint, x: 0.5, y: 0.5) }),
        OptionCase(
            "crop=focalpoint&fp-z=2",
            clip {
                $0.gravity = Gravity(.focusPoint, x: 0.5, y: 0.5)
                $0.crop = Crop(width: 0.5, height: 0.5)
            }),
        OptionCase("fp-x=0.1", clip { _ in }),
        OptionCase(
            "fit=crop&w=320&ar=16:9",
            clip {
                $0.resizingType = .fill
                $0.width = 320
                $0.height = 180
            }),
        OptionCase(
            "fit=crop&h=90&ar=16:9",
            clip {
                $0.resizingType = .fill
                $0.width = 160
                $0.height = 90
            }),
        OptionCase(
            "fit=crop&w=100&h=100&ar=16:9",
            clip {
                $0.resizingType = .fill
                $0.width = 100
                $0.height = 100
            }),
        OptionCase("w=100&ar=1.5:1", clip { $0.width = 100 }),
        OptionCase("rect=10,20,300,200", clip { $0.crop = Crop(width: 300, height: 200, gravity: Gravity(.northWest, x: 10, y: 20)) }),
        OptionCase("dpr=2", clip { $0.dpr = 2 }),
        OptionCase("q=75", clip { $0.quality = 75 }),
        OptionCase("fm=jpg", clip { $0.format = .fixed(.jpeg) }),
        OptionCase(
            "fm=pjpg",
            clip {
                $0.format = .fixed(.jpeg)
                $0.progressive = true
            }),
        OptionCase("fm=png", clip { $0.format = .fixed(.png) }),
        OptionCase("fm=webp", clip { $0.format = .fixed(.webp) }),
        OptionCase("fm=avif", clip { $0.format = .fixed(.avif) }),
        OptionCase("fm=gif", clip { $0.format = .fixed(.gif) }),
        OptionCase("fm=json", clip { $0.format = .json }),
        OptionCase("auto=format", clip { $0.format = .auto }),
        OptionCase("auto=format&fm=png", clip { $0.format = .fixed(.png) }),
        OptionCase("auto=compress", clip { $0.quality = 45 }),
        OptionCase("auto=compress&q=90", clip { $0.quality = 90 }),
        OptionCase(
            "auto=compress,format",
            clip {
                $0.quality = 45
                $0.format = .auto
            }),
        OptionCase(
            "auto=compress&auto=format",
            clip {
                $0.quality = 45
                $0.format = .auto
            }),
        OptionCase("auto=enhance,redeye", clip { _ in }),
        OptionCase("bg=f00", clip { $0.background = RGBColor(red: 255, green: 0, blue: 0) }),
        OptionCase("bg=8f00", clip { $0.background = RGBColor(red: 255, green: 0, blue: 0, alpha: Double(0x88) / 255) }),
        OptionCase("bg=00ff00", clip { $0.background = RGBColor(red: 0, green: 255, blue: 0) }),
        OptionCase("bg=800000FF", clip { $0.background = RGBColor(red: 0, green: 0, blue: 255, alpha: Double(0x80) / 255) }),
        OptionCase("pad=10", clip { $0.padding = Padding(top: 10, right: 10, bottom: 10, left: 10) }),
        OptionCase("pad=10&pad-left=0&pad-top=5", clip { $0.padding = Padding(top: 5, right: 10, bottom: 10, left: 0) }),
        OptionCase("pad-bottom=4", clip { $0.padding = Padding(top: 0, right: 0, bottom: 4, left: 0) }),
        OptionCase("pad-right=4", clip { $0.padding = Padding(top: 0, right: 4, bottom: 0, left: 0) }),
        OptionCase("blur=200", clip { $0.blur = 10 }),
        OptionCase("blur=0", clip { _ in }),
        OptionCase("sharp=30", clip { $0.sharpen = 1.5 }),
        OptionCase("px=12", clip { $0.pixelate = 12 }),
        OptionCase("rot=45", clip { $0.rotate = 45 }),
        OptionCase("flip=h", clip { $0.flipHorizontal = true }),
        OptionCase("flip=v", clip { $0.flipVertical = true }),
        OptionCase(
            "flip=hv",
            clip {
                $0.flipHorizontal = true
                $0.flipVertical = true
            }),
        OptionCase(
            "dl=my%20photo.jpg",
            clip {
                $0.attachment = true
                $0.filename = "my photo.jpg"
            }),
        OptionCase(
            "dl=a+b",
            clip {
                $0.attachment = true
                $0.filename = "a b"
            }),
        OptionCase("dl=", clip { $0.attachment = true }),
        OptionCase("expires=1700000000", clip { $0.expires = 1_700_000_000 }),
        OptionCase("cb=42", clip { $0.cacheBuster = "42" }),
        OptionCase("ixlib=js-3.8.0&w=10", clip { $0.width = 10 }),
        OptionCase("w=10&w=20", clip { $0.width = 20 }),
        OptionCase("&&w=10&", clip { $0.width = 10 }),
    ]

    @Test(arguments: parameters)
    func parameterSetsItsField(_ row: OptionCase) throws {
        #expect(try GrammarFixture.imgixOptions(row.input) == row.expected)
    }

    static let refusals: [RefusalCase] = [
        RefusalCase("width=100", ImageURLError.Reason.unknownOption),
        RefusalCase("W=100", ImageURLError.Reason.unknownOption),
        RefusalCase("txt=hello", ImageURLError.Reason.unknownOption),
        RefusalCase("w=abc", ImageURLError.Reason.invalidOption),
        RefusalCase("w=0.5", ImageURLError.Reason.invalidOption),
        RefusalCase("h=-1", ImageURLError.Reason.invalidOption),
        RefusalCase("fit=clamp", ImageURLError.Reason.invalidOption),
        RefusalCase("fit=facearea", ImageURLError.Reason.invalidOption),
        RefusalCase("fit=cover", ImageURLError.Reason.invalidOption),
        RefusalCase("crop=faces", ImageURLError.Reason.invalidOption),
        RefusalCase("crop=faces,entropy", ImageURLError.Reason.invalidOption),
        RefusalCase("crop=middle", ImageURLError.Reason.invalidOption),
        RefusalCase("crop=top,bottom", ImageURLError.Reason.invalidOption),
        RefusalCase("crop=", ImageURLError.Reason.invalidOption),
        RefusalCase("fp-x=1.5", ImageURLError.Reason.invalidOption),
        RefusalCase("fp-y=-0.1", ImageURLError.Reason.invalidOption),
        RefusalCase("fp-z=0.5", ImageURLError.Reason.invalidOption),
        RefusalCase("ar=16", ImageURLError.Reason.invalidOption),
        RefusalCase("ar=16:0", ImageURLError.Reason.invalidOption),
        RefusalCase("fit=crop&ar=16:9", ImageURLError.Reason.invalidOption),
        RefusalCase("rect=1,2,3", ImageURLError.Reason.invalidOption),
        RefusalCase("rect=1,2,0,4", ImageURLError.Reason.invalidOption),
        RefusalCase("rect=a,2,3,4", ImageURLError.Reason.invalidOption),
        RefusalCase("dpr=0", ImageURLError.Reason.invalidOption),
        RefusalCase("dpr=6", ImageURLError.Reason.invalidOption),
        RefusalCase("q=101", ImageURLError.Reason.invalidOption),
        RefusalCase("fm=tiff", ImageURLError.Reason.invalidOption),
        RefusalCase("fm=jpeg", ImageURLError.Reason.invalidOption),
        RefusalCase("auto=magic", ImageURLError.Reason.invalidOption),
        RefusalCase("bg=red", ImageURLError.Reason.invalidOption),
        RefusalCase("bg=12345", ImageURLError.Reason.invalidOption),
        RefusalCase("pad=-1", ImageURLError.Reason.invalidOption),
        RefusalCase("pad-top=x", ImageURLError.Reason.invalidOption),
        RefusalCase("blur=2001", ImageURLError.Reason.invalidOption),
        RefusalCase("sharp=101", ImageURLError.Reason.invalidOption),
        RefusalCase("px=101", ImageURLError.Reason.invalidOption),
        RefusalCase("rot=360", ImageURLError.Reason.invalidOption),
        RefusalCase("rot=-1", ImageURLError.Reason.invalidOption),
        RefusalCase("flip=x", ImageURLError.Reason.invalidOption),
        RefusalCase("expires=tomorrow", ImageURLError.Reason.invalidOption),
        RefusalCase("versionId=", ImageURLError.Reason.invalidOption),
        RefusalCase("w=%zz", ImageURLError.Reason.invalidOption),
        RefusalCase("preset=missing", ImageURLError.Reason.unknownPreset),
        RefusalCase("preset=", ImageURLError.Reason.invalidOption),
    ]

    @Test(arguments: refusals)
    func malformedParameterIsRefused(_ row: RefusalCase) {
        #expect(GrammarFixture.reason { _ = try GrammarFixture.imgix(row.input) } == row.reason)
    }

    @Test func bucketKeyAndVersion() throws {
        let url = try GrammarFixture.imgix("versionId=3HL4kqtJ&w=1", path: "/a/photos/2024/my%20cat%2B1.jpg")
        #expect(url.request.source == .object(ObjectReference(bucket: "photos", key: "2024/my cat+1.jpg", versionId: "3HL4kqtJ")))
        let plus = try GrammarFixture.imgix("", path: "/a/b/a+b.jpg")
        #expect(plus.request.source == .object(ObjectReference(bucket: "b", key: "a+b.jpg")))
    }

    static let badPaths: [String] = ["/i/b/k", "/a/", "/a/b", "/a/b/", "/a//k", "/a/b/k%zz", "a/b/k", ""]

    @Test(arguments: badPaths)
    func malformedPathIsRefused(_ path: String) {
        #expect(GrammarFixture.reason { _ = try GrammarFixture.imgix("", path: path) } == ImageURLError.Reason.invalidSource)
    }
}
