import CMagpieVips
import Foundation
import ImageProtocol
@testable import Imaging

/// Real photographs from the shared test data, and images generated pixel by pixel.
enum Fixtures {
    static let photos = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/testdata/photos")

    static func photo(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: photos.appendingPathComponent(name)))
    }

    static let engine = ImageEngine(threads: 2)

    /// RGB(A) pixels → an encoded image of `format`.
    static func encode(
        width: Int, height: Int, bands: Int = 3, format: ImageFormat = .png, pixel: (Int, Int) -> [UInt8]
    ) throws -> [UInt8] {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(width * height * bands)
        for y in 0..<height { for x in 0..<width { pixels.append(contentsOf: pixel(x, y).prefix(bands)) } }
        let image = try pixels.withUnsafeBytes { raw in
            try VImage.make("from_pixels") { mv_from_pixels(raw.baseAddress, Int32(width), Int32(height), Int32(bands), $0) }
        }
        switch format {
        case .jpeg: return try image.save("jpegsave") { mv_jpegsave($0, 95, 0, 1, $1, $2) }
        case .png: return try image.save("pngsave") { mv_pngsave($0, 0, 1, $1, $2) }
        case .webp: return try image.save("webpsave") { mv_webpsave($0, 90, 4, 1, $1, $2) }
        case .avif: return try image.save("avifsave") { mv_avifsave($0, 60, 2, 1, $1, $2) }
        case .gif: return try image.save("gifsave") { mv_gifsave($0, 0, 1, $1, $2) }
        }
    }

    /// A JPEG with an EXIF APP1 segment carrying only the orientation tag.
    static func withOrientation(_ jpeg: [UInt8], _ orientation: UInt8) -> [UInt8] {
        let tiff: [UInt8] = [
            0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,  // big-endian TIFF header, IFD at 8
            0x00, 0x01,  // one entry
            0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00,  // Orientation SHORT
            0x00, 0x00, 0x00, 0x00,  // no next IFD
        ]
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        return [0xFF, 0xD8, 0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload + jpeg.dropFirst(2)
    }

    /// Decodes an encoded image to RGB pixels with its size (first frame).
    static func decode(_ bytes: [UInt8]) throws -> (width: Int, height: Int, bands: Int, pixels: [UInt8]) {
        let image = try bytes.withUnsafeBytes { raw in
            try VImage.make("load") { mv_open(raw.baseAddress, raw.count, 0, 0, $0) }
        }
        let pixels = try image.apply("cast") { mv_cast_uchar($0, $1) }.pixels()
        return (image.width, image.height, image.bands, pixels)
    }

    /// Header facts of an encoded image without decoding it: size of one frame and frame count.
    static func header(_ bytes: [UInt8]) throws -> (width: Int, height: Int, frames: Int) {
        let format = SourceFormat.sniff(bytes)
        let image = try bytes.withUnsafeBytes { raw in
            try VImage.make("load") { mv_open(raw.baseAddress, raw.count, format == .gif || format == .webp ? 1 : 0, 1, $0) }
        }
        let frames = image.loadedFrames
        return (image.width, image.height / frames, frames)
    }

    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard haystack.count >= pattern.count else { return false }
        for start in 0...(haystack.count - pattern.count) where haystack[start] == pattern[0] {
            if Array(haystack[start..<(start + pattern.count)]) == pattern { return true }
        }
        return false
    }
}

extension ImageOptions {
    static func with(_ configure: (inout ImageOptions) -> Void) -> ImageOptions {
        var options = ImageOptions()
        configure(&options)
        return options
    }
}

extension Fixtures {
    /// An animated GIF (or WebP): `frames` frames of width×height, each a different grey level.
    static func animated(frames: Int, width: Int, height: Int, format: ImageFormat = .gif) throws -> [UInt8] {
        var pixels: [UInt8] = []
        for frame in 0..<frames {
            let level = UInt8((frame * 200 / max(1, frames - 1)) & 0xFF)
            for _ in 0..<(width * height) { pixels.append(contentsOf: [level, 255 - level, 128]) }
        }
        let image = try pixels.withUnsafeBytes { raw in
            try VImage.make("from_pixels") { mv_from_pixels(raw.baseAddress, Int32(width), Int32(height * frames), 3, $0) }
        }
        _ = mv_set_page_height(image.pointer, Int32(height))
        switch format {
        case .webp: return try image.save("webpsave") { mv_webpsave($0, 90, 4, 1, $1, $2) }
        default: return try image.save("gifsave") { mv_gifsave($0, 0, 1, $1, $2) }
        }
    }
}
