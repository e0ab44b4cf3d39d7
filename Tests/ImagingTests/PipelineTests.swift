import ImageProtocol
@testable import Imaging
import Testing

@Suite struct PipelineTests {
    let engine = Fixtures.engine

    func run(_ source: [UInt8], _ format: ImageFormat = .jpeg, _ configure: (inout ImageOptions) -> Void) async throws -> ProcessedImage {
        try await engine.process(source: source, options: .with(configure), output: .fixed(format)).value
    }

    @Test(arguments: [
        (ResizingType.fit, 267, 200), (.fill, 300, 200), (.fillDown, 300, 200), (.force, 300, 200), (.auto, 300, 200),
    ])
    func resizingTypesOnTheLargePhoto(type: ResizingType, width: Int, height: Int) async throws {
        let photo = try Fixtures.photo("photo4000x3000.jpg")
        let result = try await run(photo) { $0.resizingType = type; $0.width = 300; $0.height = 200 }
        let decoded = try Fixtures.header(result.bytes)
        #expect((decoded.width, decoded.height) == (width, height))
        #expect((result.width, result.height) == (width, height))
    }

    @Test(arguments: GravityType.allCases)
    func everyGravityGivesTheRequestedSize(gravity: GravityType) async throws {
        let photo = try Fixtures.photo("eveningglow2560.jpg")
        let result = try await run(photo, .webp) {
            $0.resizingType = .fill; $0.width = 200; $0.height = 200
            $0.gravity = gravity == .focusPoint ? Gravity(.focusPoint, x: 0.2, y: 0.8) : Gravity(gravity)
        }
        let decoded = try Fixtures.header(result.bytes)
        #expect((decoded.width, decoded.height) == (200, 200))
    }

    /// A 40×20 image with a red 20×10 top-left quadrant on blue, stored with each EXIF
    /// orientation: after auto-rotation the red block must sit where the orientation puts it.
    @Test(arguments: 1...8)
    func exifOrientationIsApplied(orientation: Int) async throws {
        let stored = try Fixtures.encode(width: 40, height: 20, format: .jpeg) { x, y in
            x < 20 && y < 10 ? [255, 0, 0] : [0, 0, 255]
        }
        let source = Fixtures.withOrientation(stored, UInt8(orientation))
        let result = try await run(source, .png) { _ in }
        let image = try Fixtures.decode(result.bytes)
        let swapped = orientation >= 5
        #expect((image.width, image.height) == (swapped ? 20 : 40, swapped ? 40 : 20))
        // Where the red corner lands for each orientation (left, top).
        let corner: [Int: (Bool, Bool)] = [
            1: (true, true), 2: (false, true), 3: (false, false), 4: (true, false),
            5: (true, true), 6: (false, true), 7: (false, false), 8: (true, false),
        ]
        let (isLeft, isTop) = corner[orientation]!
        let x = isLeft ? image.width / 4 : image.width * 3 / 4
        let y = isTop ? image.height / 4 : image.height * 3 / 4
        let offset = (y * image.width + x) * image.bands
        #expect(image.pixels[offset] > 200 && image.pixels[offset + 2] < 60, "orientation \(orientation): red expected at \(x),\(y)")
    }

    @Test func autoRotateOffKeepsStoredPixels() async throws {
        let stored = try Fixtures.encode(width: 40, height: 20, format: .jpeg) { x, y in x < 20 ? [255, 0, 0] : [0, 0, 255] }
        let result = try await run(Fixtures.withOrientation(stored, 6), .png) { $0.autoRotate = false }
        let image = try Fixtures.decode(result.bytes)
        #expect((image.width, image.height) == (40, 20))
    }

    @Test(arguments: [ImageFormat.jpeg, .webp, .avif, .png])
    func metadataIsStripped(format: ImageFormat) async throws {
        let photo = try Fixtures.photo("photo4000x3000.jpg")
        let sourceHasMetadata = Fixtures.contains(photo, "Exif") && Fixtures.contains(photo, "http://ns.adobe.com/xap/")
        #expect(sourceHasMetadata)
        let result = try await run(photo, format) { $0.width = 320 }
        let found = ["Exif", "SONY", "http://ns.adobe.com/xap/", "XMP "].filter { Fixtures.contains(result.bytes, $0) }
        #expect(found.isEmpty, "\(format) output still carries \(found)")
        let decoded = try Fixtures.decode(result.bytes)
        #expect(decoded.width == 320)
        #expect(SourceFormat.sniff(result.bytes)?.rawValue == (format == .jpeg ? "jpeg" : format.rawValue))
    }

    @Test func metadataKeptWhenAsked() async throws {
        let photo = try Fixtures.photo("photo4000x3000.jpg")
        let result = try await run(photo) { $0.width = 320; $0.stripMetadata = false }
        let kept = Fixtures.contains(result.bytes, "Exif")
        #expect(kept)
    }

    @Test func animatedGIFStaysAnimated() async throws {
        let gif = try Fixtures.animated(frames: 5, width: 60, height: 40)
        #expect(try Fixtures.header(gif).frames == 5)
        let asGIF = try await run(gif, .gif) { $0.width = 30 }
        let header = try Fixtures.header(asGIF.bytes)
        #expect(header.frames == 5)
        #expect((header.width, header.height) == (30, 20))
        let asWebP = try await run(gif, .webp) { $0.resizingType = .fill; $0.width = 20; $0.height = 20 }
        let webp = try Fixtures.header(asWebP.bytes)
        #expect(webp.frames == 5)
        #expect((webp.width, webp.height) == (20, 20))
        let still = try await run(gif, .jpeg) { $0.width = 30 }
        #expect(try Fixtures.header(still.bytes).frames == 1)
    }

    @Test func negotiationKeepsAnimationAndPrefersAVIFForStills() async throws {
        let gif = try Fixtures.animated(frames: 3, width: 20, height: 20)
        let animated = try await engine.process(source: gif, options: ImageOptions(), output: .negotiate(acceptsAVIF: true, acceptsWebP: true))
        #expect(animated.value.format == .webp)
        let photo = try Fixtures.photo("eveningglow2560.jpg")
        var options = ImageOptions()
        options.width = 100
        #expect(try await engine.process(source: photo, options: options, output: .negotiate(acceptsAVIF: true, acceptsWebP: true)).value.format == .avif)
        #expect(try await engine.process(source: photo, options: options, output: .negotiate(acceptsAVIF: false, acceptsWebP: true)).value.format == .webp)
        #expect(try await engine.process(source: photo, options: options, output: .negotiate(acceptsAVIF: false, acceptsWebP: false)).value.format == .jpeg)
    }

    @Test func cropTrimPaddingExtendRotateAndEffects() async throws {
        let photo = try Fixtures.photo("eveningglow2560.jpg")
        let cropped = try await run(photo) { $0.crop = Crop(width: 1000, height: 500, gravity: Gravity(.northWest)); $0.width = 100 }
        #expect((cropped.width, cropped.height) == (100, 50))
        let padded = try await run(photo) { $0.width = 100; $0.padding = Padding(top: 5, right: 10, bottom: 5, left: 10) }
        #expect((padded.width, padded.height) == (120, 73))
        let extended = try await run(photo, .png) { $0.width = 200; $0.height = 200; $0.extend = .center }
        #expect((extended.width, extended.height) == (200, 200))
        let rotated = try await run(photo) { $0.width = 160; $0.rotate = 90 }
        #expect((rotated.width, rotated.height) == (160, 256))  // the box applies to the rotated result
        let effects = try await run(photo) { $0.width = 100; $0.blur = 2; $0.sharpen = 1; $0.pixelate = 4; $0.flipHorizontal = true }
        #expect(effects.width == 100)

        // A red square on a white border: trim leaves only the square.
        let framed = try Fixtures.encode(width: 60, height: 60) { x, y in
            (20..<40).contains(x) && (10..<30).contains(y) ? [255, 0, 0] : [255, 255, 255]
        }
        let trimmed = try await run(framed, .png) { $0.trim = Trim(threshold: 10) }
        #expect((trimmed.width, trimmed.height) == (20, 20))
    }

    @Test func alphaIsFlattenedOntoTheBackgroundForJPEG() async throws {
        let transparent = try Fixtures.encode(width: 20, height: 20, bands: 4) { _, _ in [0, 0, 0, 0] }
        let result = try await run(transparent) { $0.background = RGBColor(red: 0, green: 255, blue: 0) }
        let image = try Fixtures.decode(result.bytes)
        #expect(image.bands == 3)
        #expect(image.pixels[1] > 200 && image.pixels[0] < 60)
    }

    @Test func watermarkIsComposited() async throws {
        let base = try Fixtures.encode(width: 100, height: 100) { _, _ in [0, 0, 0] }
        let mark = try Fixtures.encode(width: 20, height: 20) { _, _ in [255, 255, 255] }
        var options = ImageOptions()
        options.watermark = Watermark(opacity: 1, position: Gravity(.southEast))
        let result = try await engine.process(source: base, options: options, output: .fixed(.png), watermark: mark).value
        let image = try Fixtures.decode(result.bytes)
        let at = { (x: Int, y: Int) in image.pixels[(y * image.width + x) * image.bands] }
        #expect(at(95, 95) > 200)
        #expect(at(5, 5) < 50)
    }

    @Test func progressiveJPEG() async throws {
        let photo = try Fixtures.photo("eveningglow2560.jpg")
        let result = try await run(photo) { $0.width = 200; $0.progressive = true }
        // SOF2 marker (progressive DCT).
        #expect(result.bytes.indices.dropLast().contains { result.bytes[$0] == 0xFF && result.bytes[$0 + 1] == 0xC2 })
    }
}
