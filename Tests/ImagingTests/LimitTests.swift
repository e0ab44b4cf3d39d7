import ImageProtocol
@testable import Imaging
import Testing

@Suite struct LimitTests {
    /// A PNG header claiming 30,000×30,000 pixels, a few bytes of body: refused from the header.
    @Test func pngBombIsRefusedFromTheHeader() async throws {
        let small = try Fixtures.encode(width: 8, height: 8) { _, _ in [1, 2, 3] }
        var bomb = small
        // IHDR width/height live at bytes 16…23; rewrite them (the CRC no longer matches, as in
        // real bombs crafted by hand, and libvips reads the header anyway).
        for (index, byte) in [0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30].enumerated() { bomb[16 + index] = UInt8(byte) }
        await #expect(throws: ImagingError.self) {
            _ = try await Fixtures.engine.process(source: bomb, options: ImageOptions(), output: .fixed(.jpeg))
        }
        do {
            _ = try await Fixtures.engine.process(source: bomb, options: ImageOptions(), output: .fixed(.jpeg))
        } catch let error as ImagingError {
            #expect(["source-resolution-limit", "processing-error"].contains(error.reason))
        }
    }

    @Test func jpegClaimingHugeDimensionsIsRefused() async throws {
        var jpeg = try Fixtures.encode(width: 16, height: 16, format: .jpeg) { _, _ in [9, 9, 9] }
        // Find SOF0 (FFC0) and set height/width to 60000×60000.
        let sof = jpeg.indices.dropLast().first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 }!
        jpeg[sof + 5] = 0xEA; jpeg[sof + 6] = 0x60; jpeg[sof + 7] = 0xEA; jpeg[sof + 8] = 0x60
        do {
            _ = try await Fixtures.engine.process(source: jpeg, options: ImageOptions(), output: .fixed(.jpeg))
            Issue.record("expected a refusal")
        } catch let error as ImagingError {
            #expect(error.reason == "source-resolution-limit")
            #expect(error.status == 422)
        }
    }

    @Test func tooManyFramesAreRefused() async throws {
        var settings = ImagingSettings()
        settings.limits.maxFrames = 3
        let engine = ImageEngine(settings: settings, threads: 1)
        let gif = try Fixtures.animated(frames: 5, width: 10, height: 10)
        await #expect(throws: ImagingError.sourceFrames(5, limit: 3)) {
            _ = try await engine.process(source: gif, options: ImageOptions(), output: .fixed(.gif))
        }
        try await engine.shutdown()
    }

    @Test func resultSideAndSourceBytesLimits() async throws {
        var settings = ImagingSettings()
        settings.limits.maxResultSide = 500
        settings.limits.maxSourceBytes = 1_000_000
        let engine = ImageEngine(settings: settings, threads: 1)
        let photo = try Fixtures.photo("eveningglow2560.jpg")
        var options = ImageOptions()
        options.width = 1000
        do {
            _ = try await engine.process(source: photo, options: options, output: .fixed(.jpeg))
            Issue.record("expected a refusal")
        } catch let error as ImagingError {
            #expect(error.reason == "result-dimension-limit")
        }
        let big = try Fixtures.photo("photo4000x3000.jpg")
        do {
            _ = try await engine.process(source: big, options: ImageOptions(), output: .fixed(.jpeg))
            Issue.record("expected a refusal")
        } catch let error as ImagingError {
            #expect(error.reason == "source-size-limit")
        }
        try await engine.shutdown()
    }

    @Test(arguments: [
        ("<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "svg"), ("%PDF-1.4\n", "pdf"), ("II*\0\u{8}\0\0\0", "tiff"),
        ("hello, this is text", "text"),
    ])
    func nonImagesAndRiskyFormatsAreRefusedByContent(content: String, name: String) async throws {
        do {
            _ = try await Fixtures.engine.process(source: Array(content.utf8), options: ImageOptions(), output: .fixed(.png))
            Issue.record("\(name) should be refused")
        } catch let error as ImagingError {
            #expect(error.reason == "source-format-unsupported")
        }
    }

    @Test func truncatedJPEGFailsCleanly() async throws {
        let photo = try Fixtures.photo("eveningglow2560.jpg")
        let truncated = Array(photo.prefix(2000))
        var options = ImageOptions()
        options.width = 100
        do {
            _ = try await Fixtures.engine.process(source: truncated, options: options, output: .fixed(.png))
        } catch let error as ImagingError {
            #expect(error.status == 422)
        }
    }

    @Test func timeoutStopsTheWork() async throws {
        var settings = ImagingSettings()
        settings.limits.timeout = .milliseconds(1)
        let engine = ImageEngine(settings: settings, threads: 1)
        let photo = try Fixtures.photo("photo4000x3000.jpg")
        var options = ImageOptions()
        options.width = 2000
        options.blur = 5
        await #expect(throws: ImagingError.timeout) {
            _ = try await engine.process(source: photo, options: options, output: .fixed(.png))
        }
        try await engine.shutdown()
    }

    @Test func fullQueueIsRefusedAtOnce() async throws {
        let engine = ImageEngine(threads: 1, maxQueued: 0)
        let photo = try Fixtures.photo("photo4000x3000.jpg")
        let options = ImageOptions.with { $0.width = 1000; $0.blur = 3 }
        let outcomes = await withTaskGroup(of: String.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    do {
                        _ = try await engine.process(source: photo, options: options, output: .fixed(.jpeg))
                        return "ok"
                    } catch let error as ImagingError {
                        return error.reason
                    } catch {
                        return "\(error)"
                    }
                }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(outcomes.contains("queue-full"))
        #expect(outcomes.contains("ok"))
        try await engine.shutdown()
    }
}
