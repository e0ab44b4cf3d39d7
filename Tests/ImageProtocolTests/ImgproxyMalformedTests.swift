import ImageProtocol
import Testing

@Suite("imgproxy grammar: malformed options")
struct ImgproxyMalformedTests {
    static let invalid = ImageURLError.Reason.invalidOption
    static let unknown = ImageURLError.Reason.unknownOption

    static let refusals: [RefusalCase] = [
        // Unknown names, including imgproxy options Magpie does not implement.
        RefusalCase("nope:1", unknown),
        RefusalCase("W:100", unknown),
        RefusalCase("resizing_algorithm:lanczos3", unknown),
        RefusalCase("max_src_resolution:50", unknown),
        // Bad numbers.
        RefusalCase("w:abc", invalid),
        RefusalCase("w:-1", invalid),
        RefusalCase("w:1.5", invalid),
        RefusalCase("w:", invalid),
        RefusalCase("h:1e3", invalid),
        RefusalCase("w:99999999999999999999999", invalid),
        RefusalCase("mw:-5", invalid),
        RefusalCase("z:0", invalid),
        RefusalCase("z:-1", invalid),
        RefusalCase("z:inf", invalid),
        RefusalCase("z:nan", invalid),
        RefusalCase("dpr:0", invalid),
        RefusalCase("dpr:5.5", invalid),
        RefusalCase("bl:0", invalid),
        RefusalCase("sh:-1", invalid),
        RefusalCase("pix:-2", invalid),
        RefusalCase("q:101", invalid),
        RefusalCase("q:-1", invalid),
        RefusalCase("rot:45", invalid),
        RefusalCase("rot:x", invalid),
        RefusalCase("exp:soon", invalid),
        RefusalCase("c:-1:10", invalid),
        RefusalCase("c:10:x", invalid),
        RefusalCase("t:-1", invalid),
        // Wrong arity.
        RefusalCase("w:1:2", invalid),
        RefusalCase("rt:fill:fit", invalid),
        RefusalCase("rs:fill:1:2:0:0:ce:0:0:9", invalid),
        RefusalCase("s:1:2:0:0:ce:0:0:9", invalid),
        RefusalCase("z:1:2:3", invalid),
        RefusalCase("ex:1:ce:0:0:0", invalid),
        RefusalCase("pd:1:2:3:4:5", invalid),
        RefusalCase("bg:1:2", invalid),
        RefusalCase("bg:1:2:3:4", invalid),
        RefusalCase("fq:jpg", invalid),
        RefusalCase("fq:jpg:80:png", invalid),
        RefusalCase("f:png:1", invalid),
        RefusalCase("cb:a:b", invalid),
        RefusalCase("fn:a:1:2", invalid),
        RefusalCase("wm:1:ce:0:0:0:0", invalid),
        // Bad names and values.
        RefusalCase("rt:stretch", invalid),
        RefusalCase("el:yes", invalid),
        RefusalCase("ar:2", invalid),
        RefusalCase("g:up", invalid),
        RefusalCase("g:", invalid),
        RefusalCase("g:sm:1", invalid),
        RefusalCase("g:fp:0.5", invalid),
        RefusalCase("g:fp:1.5:0.5", invalid),
        RefusalCase("g:no:1:2:3", invalid),
        RefusalCase("g:re", invalid),
        RefusalCase("ex:1:sm", invalid),
        RefusalCase("ex:1:en", invalid),
        RefusalCase("bg:ggg", invalid),
        RefusalCase("bg:ffff", invalid),
        RefusalCase("bg:256:0:0", invalid),
        RefusalCase("t:1:xyz", invalid),
        RefusalCase("f:tiff", invalid),
        RefusalCase("f:json", invalid),
        RefusalCase("fq:bmp:50", invalid),
        RefusalCase("fq:png:0", invalid),
        RefusalCase("wm:1.5", invalid),
        RefusalCase("wm:1:sm", invalid),
        RefusalCase("wm:1:ce:0:0:-1", invalid),
        RefusalCase("wmu:!!!", invalid),
        RefusalCase("wmu:\(GrammarFixture.base64URL("https://example.com/logo.png"))", invalid),
        RefusalCase("wmu:\(GrammarFixture.base64URL("s3:///logo.png"))", invalid),
        RefusalCase("fn:***:1", invalid),
        RefusalCase("cb:%zz", invalid),
        RefusalCase("pr:", invalid),
    ]

    @Test(arguments: refusals)
    func malformedOptionIsRefused(_ row: RefusalCase) {
        #expect(GrammarFixture.reason { _ = try GrammarFixture.imgproxyOptions(row.input) } == row.reason)
    }

    @Test func messageNamesTheOption() {
        #expect(throws: ImageURLError.invalidOption("width", "expected an integer, got 'abc'")) {
            try GrammarFixture.imgproxyOptions("w:abc")
        }
        #expect(throws: ImageURLError.unknownOption("nope")) { try GrammarFixture.imgproxyOptions("nope:1") }
        do {
            _ = try GrammarFixture.imgproxyOptions("g:fp:2:0")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("gravity"))
        }
    }

    @Test func echoedArgumentsAreClipped() {
        let long = String(repeating: "x", count: 500)
        do {
            _ = try GrammarFixture.imgproxyOptions("w:\(long)")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.count < 120)
        }
    }
}
