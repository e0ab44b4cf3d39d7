#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// BlurHash (woltapp/blurhash): a 20–30 character string that a client decodes into a blurred
/// placeholder while the real image loads.
///
/// A port of the reference encoder. Pixels are converted from sRGB to linear light and projected
/// onto `componentsX × componentsY` cosine basis functions. The first factor (the average colour)
/// is stored as sRGB8; the others are quantised to 19 levels per channel relative to their largest
/// magnitude, which is stored too. Everything is base83-encoded: 1 character of sizes, 1 of
/// maximum, 4 of DC, 2 per AC factor, so a hash is `4 + 2 * componentsX * componentsY` long.
/// Arithmetic is `Double`, in the reference's order, so hashes match the reference ports.
public enum BlurHash {
    /// Encodes an RGBA8 image (row-major, 4 bytes a pixel; alpha is ignored, as in the reference).
    ///
    /// - Precondition: `componentsX` and `componentsY` in 1…9 (the format's limit), `width` and
    ///   `height` positive, and `rgba` holds at least `width * height * 4` bytes. The cost is
    ///   `width * height * componentsX * componentsY`, so pass a thumbnail (≤ 100×100 is plenty).
    public static func encode(rgba: [UInt8], width: Int, height: Int, componentsX: Int = 4, componentsY: Int = 3) -> String {
        precondition((1...9).contains(componentsX) && (1...9).contains(componentsY), "BlurHash components must be in 1...9")
        precondition(width > 0 && height > 0 && rgba.count >= width * height * 4, "rgba must hold width * height RGBA pixels")

        // Linear light once per pixel; the reference converts inside every basis loop (same values).
        var linear = [Double](repeating: 0, count: width * height * 3)
        for pixel in 0..<(width * height) {
            for channel in 0..<3 {
                linear[pixel * 3 + channel] = sRGBToLinearTable[Int(rgba[pixel * 4 + channel])]
            }
        }
        let cosX = (0..<componentsX).map { i in (0..<width).map { x in cos(Double.pi * Double(i) * Double(x) / Double(width)) } }
        let cosY = (0..<componentsY).map { j in (0..<height).map { y in cos(Double.pi * Double(j) * Double(y) / Double(height)) } }

        var factors: [(r: Double, g: Double, b: Double)] = []
        factors.reserveCapacity(componentsX * componentsY)
        var maximumAC = 0.0
        for j in 0..<componentsY {
            for i in 0..<componentsX {
                let normalisation: Double = (i == 0 && j == 0) ? 1 : 2
                var r = 0.0
                var g = 0.0
                var b = 0.0
                for y in 0..<height {
                    for x in 0..<width {
                        let basis = normalisation * cosX[i][x] * cosY[j][y]
                        let p = (y * width + x) * 3
                        r += basis * linear[p]
                        g += basis * linear[p + 1]
                        b += basis * linear[p + 2]
                    }
                }
                let area = Double(width) * Double(height)
                factors.append((r / area, g / area, b / area))
                if i != 0 || j != 0 { maximumAC = max(maximumAC, abs(r / area), abs(g / area), abs(b / area)) }
            }
        }

        var out: [UInt8] = []
        out.reserveCapacity(4 + 2 * factors.count)
        appendBase83((componentsX - 1) + (componentsY - 1) * 9, length: 1, to: &out)
        // The AC scale: a quantised maximum when there are AC factors, 0 for a 1×1 hash.
        let quantisedMaximum = Int(max(0, min(82, (maximumAC * 166 - 0.5).rounded(.down))))
        let acScale = Double(quantisedMaximum + 1) / 166
        appendBase83(quantisedMaximum, length: 1, to: &out)
        let dc = factors[0]
        appendBase83((linearToSRGB(dc.r) << 16) + (linearToSRGB(dc.g) << 8) + linearToSRGB(dc.b), length: 4, to: &out)
        for factor in factors.dropFirst() {
            let value = quantiseAC(factor.r, acScale) * 19 * 19 + quantiseAC(factor.g, acScale) * 19 + quantiseAC(factor.b, acScale)
            appendBase83(value, length: 2, to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let base83Digits = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~".utf8)

    private static let sRGBToLinearTable: [Double] = (0..<256).map { value in
        let v = Double(value) / 255
        return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
    }

    private static func linearToSRGB(_ value: Double) -> Int {
        let v = max(0, min(1, value))
        // Truncation after + 0.5, as the reference does (values are non-negative).
        return v <= 0.0031308 ? Int(v * 12.92 * 255 + 0.5) : Int((1.055 * pow(v, 1 / 2.4) - 0.055) * 255 + 0.5)
    }

    private static func quantiseAC(_ value: Double, _ scale: Double) -> Int {
        let normalised = value / scale
        let signedRoot = Double(signOf: normalised, magnitudeOf: pow(abs(normalised), 0.5))  // the reference's signPow
        return Int(max(0, min(18, (signedRoot * 9 + 9.5).rounded(.down))))
    }

    private static func appendBase83(_ value: Int, length: Int, to out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<length { divisor *= 83 }
        for _ in 0..<length {
            out.append(base83Digits[(value / divisor) % 83])
            divisor /= 83
        }
    }
}
