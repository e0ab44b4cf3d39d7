import ImageProtocol
@testable import Imaging
import Testing

@Suite struct InfoTests {
    @Test func infoOfThePhoto() async throws {
        let photo = try Fixtures.photo("photo4000x3000.jpg")
        let info = try await Fixtures.engine.inspect(source: photo).value
        #expect(info.width == 4000 && info.height == 3000)
        #expect(info.format == "jpeg")
        #expect(info.bytes == photo.count)
        #expect(!info.animated && info.frames == 1)
        #expect(info.colorSpace == "srgb")
        #expect(info.blurhash.count == 4 + 2 * 4 * 3)
        #expect(!info.thumbhash.isEmpty)
        #expect(info.dominantColor.hasPrefix("#") && info.dominantColor.count == 7)
    }

    @Test func infoOfAnAnimationAndARotatedJPEG() async throws {
        let gif = try Fixtures.animated(frames: 4, width: 30, height: 20)
        let info = try await Fixtures.engine.inspect(source: gif).value
        #expect(info.animated && info.frames == 4 && info.height == 20)
        let stored = try Fixtures.encode(width: 40, height: 20, format: .jpeg) { _, _ in [200, 10, 10] }
        let rotated = try await Fixtures.engine.inspect(source: Fixtures.withOrientation(stored, 6)).value
        #expect(rotated.orientation == 6)
        #expect((rotated.width, rotated.height) == (40, 20))
        #expect((rotated.orientedWidth, rotated.orientedHeight) == (20, 40))
        #expect(rotated.dominantColor.hasPrefix("#c") || rotated.dominantColor.hasPrefix("#d"))
    }
}
