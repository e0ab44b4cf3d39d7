#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// ThumbHash (Evan Wallace, evanw/thumbhash): a ~25-byte placeholder that, unlike BlurHash, keeps
/// the aspect ratio and alpha and gives more detail for the same size.
///
/// A port of the reference `rgbaToThumbHash`. The image is composited over its own average colour,
/// converted to LPQ(A) (luminance, yellow–blue, red–green, alpha) and each channel is reduced to a
/// triangle of DCT factors: the DC and the largest AC magnitude go into a 5- or 6-byte header, each
/// AC factor into a 4-bit nibble. Arithmetic is `Double` and rounding is JavaScript's `Math.round`
/// (ties toward +∞), both in the reference's order, so the bytes match the reference.
public enum ThumbHash {
    /// The largest width or height `encode` accepts: the reference refuses more, since a bigger
    /// image costs time and changes nothing. Scale the image down first.
    public static let maximumDimension = 100

    /// Encodes an RGBA8 image (row-major, 4 bytes a pixel, RGB not premultiplied by alpha).
    ///
    /// - Precondition: `width` and `height` in 1…``maximumDimension``, and `rgba` holds at least
    ///   `width * height * 4` bytes.
    public static func encode(rgba: [UInt8], width: Int, height: Int) -> [UInt8] {
        precondition((1...maximumDimension).contains(width) && (1...maximumDimension).contains(height), "ThumbHash input must be at most 100x100")
        precondition(rgba.count >= width * height * 4, "rgba must hold width * height RGBA pixels")
        let count = width * height

        // The average colour, weighted by alpha.
        var averageR = 0.0
        var averageG = 0.0
        var averageB = 0.0
        var averageA = 0.0
        for i in 0..<count {
            let alpha = Double(rgba[i * 4 + 3]) / 255
            averageR += alpha / 255 * Double(rgba[i * 4])
            averageG += alpha / 255 * Double(rgba[i * 4 + 1])
            averageB += alpha / 255 * Double(rgba[i * 4 + 2])
            averageA += alpha
        }
        if averageA > 0 {
            averageR /= averageA
            averageG /= averageA
            averageB /= averageA
        }

        let hasAlpha = averageA < Double(count)
        let luminanceLimit = hasAlpha ? 5 : 7  // fewer luminance factors when alpha needs the room
        let lx = max(1, jsRound(Double(luminanceLimit * width) / Double(max(width, height))))
        let ly = max(1, jsRound(Double(luminanceLimit * height) / Double(max(width, height))))

        // RGBA → LPQA, composited atop the average colour.
        var l = [Double](repeating: 0, count: count)
        var p = l
        var q = l
        var a = l
        for i in 0..<count {
            let alpha = Double(rgba[i * 4 + 3]) / 255
            let r = averageR * (1 - alpha) + alpha / 255 * Double(rgba[i * 4])
            let g = averageG * (1 - alpha) + alpha / 255 * Double(rgba[i * 4 + 1])
            let b = averageB * (1 - alpha) + alpha / 255 * Double(rgba[i * 4 + 2])
            l[i] = (r + g + b) / 3
            p[i] = (r + g) / 2 - b
            q[i] = r - g
            a[i] = alpha
        }

        let lChannel = Channel(l, nx: max(3, lx), ny: max(3, ly), width: width, height: height)
        let pChannel = Channel(p, nx: 3, ny: 3, width: width, height: height)
        let qChannel = Channel(q, nx: 3, ny: 3, width: width, height: height)
        let aChannel = hasAlpha ? Channel(a, nx: 5, ny: 5, width: width, height: height) : nil

        let isLandscape = width > height
        let header24 =
            jsRound(63 * lChannel.dc) | (jsRound(31.5 + 31.5 * pChannel.dc) << 6) | (jsRound(31.5 + 31.5 * qChannel.dc) << 12)
            | (jsRound(31 * lChannel.scale) << 18) | (hasAlpha ? 1 << 23 : 0)
        let header16 =
            (isLandscape ? ly : lx) | (jsRound(63 * pChannel.scale) << 3) | (jsRound(63 * qChannel.scale) << 9) | (isLandscape ? 1 << 15 : 0)
        var hash = [header24, header24 >> 8, header24 >> 16, header16, header16 >> 8].map { UInt8(truncatingIfNeeded: $0) }
        if let aChannel {
            hash.append(UInt8(truncatingIfNeeded: jsRound(15 * aChannel.dc) | (jsRound(15 * aChannel.scale) << 4)))
        }

        // The AC factors, two 4-bit nibbles a byte, low nibble first.
        var nibbles = 0
        for channel in [lChannel, pChannel, qChannel] + (aChannel.map { [$0] } ?? []) {
            for factor in channel.ac {
                let nibble = UInt8(truncatingIfNeeded: jsRound(15 * factor))
                if nibbles & 1 == 0 { hash.append(nibble) } else { hash[hash.count - 1] |= nibble << 4 }
                nibbles += 1
            }
        }
        return hash
    }

    /// Standard base64 with padding (RFC 4648 §4), the form ThumbHash demos and clients pass around.
    public static func base64(_ hash: [UInt8]) -> String {
        let digits = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((hash.count + 2) / 3 * 4)
        var i = 0
        while i < hash.count {
            let available = min(3, hash.count - i)
            var group = 0
            for k in 0..<3 { group = group << 8 | (k < available ? Int(hash[i + k]) : 0) }
            for k in 0..<4 { out.append(k <= available ? digits[(group >> (18 - 6 * k)) & 63] : UInt8(ascii: "=")) }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// One channel's DCT: the DC factor, the AC factors (mapped to 0…1 by their largest magnitude,
    /// `scale`), in the reference's triangular order (`cx * ny < nx * (ny - cy)`).
    private struct Channel {
        var dc = 0.0
        var ac: [Double] = []
        var scale = 0.0

        init(_ channel: [Double], nx: Int, ny: Int, width: Int, height: Int) {
            var fx = [Double](repeating: 0, count: width)
            for cy in 0..<ny {
                var cx = 0
                while cx * ny < nx * (ny - cy) {
                    for x in 0..<width { fx[x] = cos(Double.pi / Double(width) * Double(cx) * (Double(x) + 0.5)) }
                    var f = 0.0
                    for y in 0..<height {
                        let fy = cos(Double.pi / Double(height) * Double(cy) * (Double(y) + 0.5))
                        for x in 0..<width { f += channel[x + y * width] * fx[x] * fy }
                    }
                    f /= Double(width * height)
                    if cx > 0 || cy > 0 {
                        ac.append(f)
                        scale = max(scale, abs(f))
                    } else {
                        dc = f
                    }
                    cx += 1
                }
            }
            if scale > 0 {
                for i in ac.indices { ac[i] = 0.5 + 0.5 / scale * ac[i] }
            }
        }
    }

    /// JavaScript's `Math.round`: the nearest integer, ties toward +∞ (the reference's rounding).
    private static func jsRound(_ x: Double) -> Int {
        let floor = x.rounded(.down)
        return Int(x - floor >= 0.5 ? floor + 1 : floor)
    }
}
