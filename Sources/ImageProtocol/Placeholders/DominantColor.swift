/// The dominant colour of an image: a one-colour placeholder (a background while the image loads).
///
/// A histogram, not an average: averaging a red-and-blue image gives a purple it never shows.
/// Pixels are counted in 4096 buckets of 4 bits a channel (the top nibble of R, G and B); the
/// fullest bucket wins (on a tie, the one with the lowest RGB nibbles, so the result is
/// deterministic) and the answer is the mean colour of the pixels in it, rounded to nearest.
///
/// Only opaque pixels (alpha 255) count, so that the colour under transparent areas, which no
/// one sees, cannot win. When no pixel is opaque, every pixel with alpha above 0 counts; when all
/// are fully transparent the answer is black.
public enum DominantColor {
    /// The dominant colour of an RGBA8 image (row-major, 4 bytes a pixel). One pass to count and
    /// one to average the winning bucket: linear in the pixel count, with a fixed 32 KiB table.
    ///
    /// - Precondition: `width` and `height` non-negative, and `rgba` holds at least
    ///   `width * height * 4` bytes.
    public static func of(rgba: [UInt8], width: Int, height: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
        precondition(width >= 0 && height >= 0 && rgba.count >= width * height * 4, "rgba must hold width * height RGBA pixels")
        let pixels = rgba.prefix(width * height * 4)
        for minimumAlpha: UInt8 in [255, 1] {
            if let colour = dominant(pixels, minimumAlpha: minimumAlpha) { return colour }
        }
        return (0, 0, 0)
    }

    private static func bucket(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        Int(r >> 4) << 8 | Int(g >> 4) << 4 | Int(b >> 4)
    }

    /// The mean colour of the fullest bucket among pixels with alpha ≥ `minimumAlpha`, or nil
    /// when there are no such pixels.
    private static func dominant(_ rgba: ArraySlice<UInt8>, minimumAlpha: UInt8) -> (red: UInt8, green: UInt8, blue: UInt8)? {
        var counts = [Int](repeating: 0, count: 4096)
        var i = rgba.startIndex
        while i < rgba.endIndex {
            if rgba[i + 3] >= minimumAlpha { counts[bucket(rgba[i], rgba[i + 1], rgba[i + 2])] += 1 }
            i += 4
        }
        var winner = 0
        for candidate in 1..<counts.count where counts[candidate] > counts[winner] { winner = candidate }
        let n = counts[winner]
        guard n > 0 else { return nil }

        var red = 0
        var green = 0
        var blue = 0
        i = rgba.startIndex
        while i < rgba.endIndex {
            if rgba[i + 3] >= minimumAlpha && bucket(rgba[i], rgba[i + 1], rgba[i + 2]) == winner {
                red += Int(rgba[i])
                green += Int(rgba[i + 1])
                blue += Int(rgba[i + 2])
            }
            i += 4
        }
        return (UInt8((red + n / 2) / n), UInt8((green + n / 2) / n), UInt8((blue + n / 2) / n))
    }
}
