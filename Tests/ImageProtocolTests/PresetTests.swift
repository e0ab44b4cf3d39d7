import ImageProtocol
import Testing

@Suite("presets")
struct PresetTests {
    static let presets: [String: [String]] = [
        "thumb": ["rs:fill:150:150", "q:70"],
        "sharp": ["sh:0.7/f:webp"],
        "square": ["pr:thumb", "g:sm"],
        "loopA": ["pr:loopB", "w:10"],
        "loopB": ["pr:loopA", "h:20"],
        "bad": ["w:abc"],
        "bare": ["ar"],
    ]

    @Test func presetExpandsInPlace() throws {
        let url = try GrammarFixture.imgproxy("w:999/pr:thumb/q:90", presets: Self.presets)
        let options = url.request.options
        #expect(options.width == 150)  // the preset came after w:999
        #expect(options.resizingType == .fill)
        #expect(options.quality == 90)  // q:90 came after the preset
        #expect(url.request.presets == ["thumb"])
    }

    @Test func severalPresetsInOneOption() throws {
        let url = try GrammarFixture.imgproxy("preset:thumb:sharp", presets: Self.presets)
        #expect(url.request.options.sharpen == 0.7)
        #expect(url.request.options.format == .fixed(.webp))
        #expect(url.request.options.width == 150)
        #expect(url.request.presets == ["thumb", "sharp"])
        #expect(url.request.onlyPresets)
    }

    @Test func defaultPresetAppliesFirst() throws {
        var presets = Self.presets
        presets["default"] = ["q:50", "ar:0"]
        let url = try GrammarFixture.imgproxy("q:80", presets: presets)
        #expect(url.request.options.quality == 80)
        #expect(!url.request.options.autoRotate)
        #expect(url.request.presets == ["default"])
        #expect(!url.request.onlyPresets)

        let imgix = try GrammarFixture.imgix("w=10", presets: presets)
        #expect(imgix.request.options.quality == 50)
        #expect(imgix.request.presets == ["default"])
    }

    @Test func nestedPresetsExpand() throws {
        let url = try GrammarFixture.imgproxy("pr:square", presets: Self.presets)
        #expect(url.request.options.gravity == Gravity(.smart))
        #expect(url.request.options.width == 150)
        #expect(url.request.presets == ["square", "thumb"])
    }

    /// imgproxy skips a preset already being expanded instead of recursing.
    @Test func recursivePresetIsSkipped() throws {
        let url = try GrammarFixture.imgproxy("pr:loopA", presets: Self.presets)
        #expect(url.request.options.width == 10)
        #expect(url.request.options.height == 20)
        #expect(url.request.presets == ["loopA", "loopB"])
    }

    @Test func deepNestingIsRefused() {
        var presets: [String: [String]] = ["p0": ["w:1"]]
        for level in 1...12 { presets["p\(level)"] = ["pr:p\(level - 1)"] }
        #expect(throws: Never.self) { try GrammarFixture.imgproxy("pr:p7", presets: presets) }
        #expect(GrammarFixture.reason { _ = try GrammarFixture.imgproxy("pr:p12", presets: presets) } == ImageURLError.Reason.invalidOption)
    }

    @Test func unknownAndBrokenPresetsAreRefused() {
        #expect(throws: ImageURLError.unknownPreset("nope")) { try GrammarFixture.imgproxy("pr:nope", presets: Self.presets) }
        #expect(GrammarFixture.reason { _ = try GrammarFixture.imgproxy("pr:bad", presets: Self.presets) } == ImageURLError.Reason.invalidOption)
        #expect(GrammarFixture.reason { _ = try GrammarFixture.imgproxy("pr:bare", presets: Self.presets) } == ImageURLError.Reason.invalidOption)
        #expect(GrammarFixture.reason { _ = try GrammarFixture.imgproxy("pr:thumb", presets: [:]) } == ImageURLError.Reason.unknownPreset)
    }

    @Test func onlyPresetsFlag() throws {
        #expect(try GrammarFixture.imgproxy("pr:thumb/pr:sharp", presets: Self.presets).request.onlyPresets)
        #expect(try !GrammarFixture.imgproxy("pr:thumb/w:10", presets: Self.presets).request.onlyPresets)
        #expect(try !GrammarFixture.imgproxy("", presets: Self.presets).request.onlyPresets)
        // The source's extension is not an option.
        let withExtension = try GrammarFixture.imgproxy("pr:thumb", source: "plain/s3://b/k@png", presets: Self.presets)
        #expect(withExtension.request.onlyPresets)

        #expect(try GrammarFixture.imgix("preset=thumb&s=x&versionId=1", presets: Self.presets).request.onlyPresets)
        #expect(try !GrammarFixture.imgix("preset=thumb&w=1", presets: Self.presets).request.onlyPresets)
        #expect(try !GrammarFixture.imgix("preset=thumb&auto=format", presets: Self.presets).request.onlyPresets)
        #expect(try !GrammarFixture.imgix("w=1", presets: Self.presets).request.onlyPresets)
    }

    @Test func imgixPresetThenOwnParameters() throws {
        let options = try GrammarFixture.imgixOptions("preset=thumb&q=95", presets: Self.presets)
        #expect(options.resizingType == .fill)  // no `fit`: the preset decides
        #expect(!options.enlarge)
        #expect(options.width == 150)
        #expect(options.quality == 95)

        let compressed = try GrammarFixture.imgixOptions("preset=keep&auto=compress", presets: ["keep": ["sm:0"]])
        #expect(compressed.stripMetadata)
        #expect(compressed.quality == 45)

        let overridden = try GrammarFixture.imgixOptions("preset=thumb&fit=max&w=40", presets: Self.presets)
        #expect(overridden.resizingType == .fit)
        #expect(overridden.width == 40)
        #expect(overridden.height == 150)
    }
}
