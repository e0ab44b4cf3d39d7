import ImageProtocol
import Testing

// Known-answer vectors. The images below are defined with integer arithmetic only, and the same
// definitions in Python produced the expected values:
// - BlurHash: PyPI `blurhash-python` 1.2.2 (cffi wrapper of woltapp's reference C encoder, float32)
//   and PyPI `blurhash` 1.1.5 (pure-Python port of the reference, float64) both return each string.
// - ThumbHash: PyPI `thumbhash` 0.1.2 (Python port of evanw/thumbhash's rgbaToThumbHash) for opaque
//   images. Its alpha branch raises TypeError (an operator-precedence bug), so translucent vectors
//   come from a copy with that fixed and JavaScript's Math.round in place of Python's round.
//   Every ThumbHash vector here is also what the reference Java encoder (evanw/thumbhash, float32)
//   returns, so none sits on a rounding edge.

/// Opaque: red ramps in x, green in y, blue = (x * y * 7) % 256.
private func gradient(_ width: Int, _ height: Int) -> [UInt8] {
    var out: [UInt8] = []
    for y in 0..<height {
        for x in 0..<width {
            out += [UInt8(x * 255 / (width - 1)), UInt8(y * 255 / (height - 1)), UInt8(x * y * 7 % 256), 255]
        }
    }
    return out
}

/// Non-separable pseudo-random pixels; with `alpha`, alpha varies over 0…255 as well.
private func noisy(_ width: Int, _ height: Int, alpha: Bool = false) -> [UInt8] {
    var out: [UInt8] = []
    for y in 0..<height {
        for x in 0..<width {
            let a = alpha ? UInt8((x * 41 + y * y * 17 + 60) % 256) : 255
            out += [UInt8((x * 73 + y * 151) % 256), UInt8((x * x * 5 + y * 29) % 256), UInt8(x * y * 7 % 256), a]
        }
    }
    return out
}

/// One colour everywhere.
private func solid(_ width: Int, _ height: Int, _ r: UInt8, _ g: UInt8, _ b: UInt8, alpha: UInt8 = 255) -> [UInt8] {
    (0..<(width * height)).flatMap { _ in [r, g, b, alpha] }
}

@Suite("BlurHash")
struct BlurHashTests {
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~")

    static func decode83<S: StringProtocol>(_ digits: S) -> Int {
        digits.reduce(0) { value, c in value * 83 + (alphabet.firstIndex(of: c) ?? -1_000_000) }
    }

    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String, width: Int, height: Int, cx: Int, cy: Int, expected: String
        var testDescription: String { "\(name) \(width)x\(height) \(cx)x\(cy)" }
        var pixels: [UInt8] { name == "gradient" ? gradient(width, height) : noisy(width, height, alpha: true) }
    }

    @Test(arguments: [
        Vector(name: "gradient", width: 16, height: 12, cx: 4, cy: 3, expected: "L$Hx+n2-wtouqMR%jse?f_fjfTfl"),
        Vector(
            name: "gradient", width: 20, height: 15, cx: 5, cy: 7,
            expected: "w$HoL12-wtbqWmqMWBjse:a}gFfhfRflfSs+WpjvfSa}enf8fSf8fRt3W=jufka_eUf9fSf5fO"),
        Vector(name: "gradient", width: 9, height: 9, cx: 1, cy: 1, expected: "00H_;p"),
        Vector(
            name: "gradient", width: 30, height: 20, cx: 9, cy: 9,
            expected: "|$HewW2owuX4a_obWmoeWmqNWBjse.fPe:fQjIa}gGfhfOflfRfkfRflfSs9WojtfPfSfSfRjua}e-fPfRfSfRfRfRfPfRt2Wqju"
                + "fRfSfPfRjua_enf6fRf6fRf8fPf5fPt5W;jvfkfRfhfPj=a}enf5fSf6fRf5fRf6fR"),
        Vector(name: "noisy", width: 12, height: 8, cx: 4, cy: 3, expected: "LFHV3D-bMa;M+WQEQgw7ZxNiNPYC"),
        Vector(
            name: "noisy", width: 100, height: 100, cx: 9, cy: 9,
            expected: "|1HV9v-haH?Cb7?HbA-vaw==XKbvaRf1adXAf2jLW%aQakf3bXk5aeaMaJ=]XmbobVfxaQXUi{itVnaHaLfxafitb-WGaO?aWAW8a7V:"
                + "aPS}oZbXWQnVaenpbBsDSmRljN?3X1j?jYnnn4tMS+aLWAaRbCZ|a#axj4i{ab"),
    ])
    func matchesReference(_ v: Vector) {
        #expect(BlurHash.encode(rgba: v.pixels, width: v.width, height: v.height, componentsX: v.cx, componentsY: v.cy) == v.expected)
    }

    @Test(arguments: [(UInt8(0), UInt8(0), UInt8(0)), (255, 255, 255), (12, 34, 56), (200, 100, 50), (1, 128, 254)])
    func solidColourDCDecodesToThatColour(_ colour: (UInt8, UInt8, UInt8)) {
        let (r, g, b) = colour
        let hash = BlurHash.encode(rgba: solid(10, 7, r, g, b), width: 10, height: 7)
        let dc = Self.decode83(hash.dropFirst(2).prefix(4))
        #expect(dc == Int(r) << 16 | Int(g) << 8 | Int(b))
    }

    @Test(arguments: [(1, 1), (4, 3), (3, 4), (9, 1), (1, 9), (9, 9)])
    func lengthSizeFlagAndAlphabet(_ components: (Int, Int)) {
        let (cx, cy) = components
        let hash = BlurHash.encode(rgba: noisy(13, 11), width: 13, height: 11, componentsX: cx, componentsY: cy)
        #expect(hash.count == 4 + 2 * cx * cy)
        #expect(hash.allSatisfy(Self.alphabet.contains))
        #expect(Self.decode83(hash.prefix(1)) == (cx - 1) + (cy - 1) * 9)
    }

    @Test func deterministicAndDefaultsToFourByThree() {
        let pixels = noisy(32, 24)
        let first = BlurHash.encode(rgba: pixels, width: 32, height: 24)
        #expect(first == BlurHash.encode(rgba: pixels, width: 32, height: 24, componentsX: 4, componentsY: 3))
        #expect(first.count == 4 + 2 * 12)
    }

    @Test func alphaIsIgnored() {
        #expect(BlurHash.encode(rgba: noisy(12, 8, alpha: true), width: 12, height: 8) == BlurHash.encode(rgba: noisy(12, 8), width: 12, height: 8))
    }
}

@Suite("ThumbHash")
struct ThumbHashTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String, width: Int, height: Int, bytes: [UInt8], base64: String
        var testDescription: String { "\(name) \(width)x\(height)" }
        var pixels: [UInt8] {
            switch name {
            case "gradient": gradient(width, height)
            case "noisy": noisy(width, height)
            default: noisy(width, height, alpha: true)
            }
        }
    }

    @Test(arguments: [
        Vector(
            name: "gradient", width: 12, height: 8,
            bytes: [28, 249, 13, 29, 158, 96, 134, 119, 128, 136, 119, 134, 120, 104, 120, 120, 245, 118, 15, 248, 120],
            base64: "HPkNHZ5ghneAiHeGeGh4ePV2D/h4"),
        Vector(
            name: "noisy", width: 12, height: 8,
            bytes: [28, 9, 10, 45, 134, 67, 117, 120, 80, 151, 120, 133, 135, 119, 120, 120, 191, 78, 140, 201, 175],
            base64: "HAkKLYZDdXhQl3iFh3d4eL9OjMmv"),
        Vector(
            name: "noisy", width: 7, height: 13,
            bytes: [27, 9, 10, 52, 6, 64, 38, 152, 41, 149, 132, 168, 104, 119, 191, 111, 232, 151, 250],
            base64: "GwkKNAZAJpgplYSoaHe/b+iX+g=="),
        Vector(
            name: "noisy alpha", width: 12, height: 8,
            bytes: [92, 25, 134, 27, 132, 24, 68, 103, 80, 167, 166, 223, 76, 125, 215, 127, 154, 9, 89, 57, 104, 89, 148],
            base64: "XBmGG4QYRGdQp6bfTH3Xf5oJWTloWZQ="),
        Vector(
            name: "noisy alpha", width: 7, height: 13,
            bytes: [91, 9, 134, 27, 4, 8, 80, 130, 26, 101, 169, 159, 125, 199, 186, 248, 95, 211, 135, 128, 101, 83, 107],
            base64: "WwmGGwQIUIIaZamffce6+F/Th4BlU2s="),
        Vector(
            name: "noisy alpha", width: 100, height: 100,
            bytes: [31, 248, 129, 5, 0, 7, 99, 6, 99, 120, 130, 39, 24, 254, 172, 206, 244, 151, 153, 138, 153, 151, 105, 151, 159],
            base64: "H/iBBQAHYwZjeIInGP6szvSXmYqZl2mXnw=="),
    ])
    func matchesReference(_ v: Vector) {
        let hash = ThumbHash.encode(rgba: v.pixels, width: v.width, height: v.height)
        #expect(hash == v.bytes)
        #expect(ThumbHash.base64(hash) == v.base64)
    }

    @Test func headerFlagsAlphaAndOrientation() {
        let opaque = ThumbHash.encode(rgba: noisy(12, 8), width: 12, height: 8)
        let translucent = ThumbHash.encode(rgba: noisy(8, 12, alpha: true), width: 8, height: 12)
        #expect(opaque[2] & 0x80 == 0 && opaque[4] & 0x80 != 0)  // opaque, landscape
        #expect(translucent[2] & 0x80 != 0 && translucent[4] & 0x80 == 0)  // alpha, portrait
    }

    @Test func solidGreyHasZeroScalesAndMidChroma() {
        let hash = ThumbHash.encode(rgba: solid(10, 10, 128, 128, 128), width: 10, height: 10)
        let header24 = Int(hash[0]) | Int(hash[1]) << 8 | Int(hash[2]) << 16
        #expect(header24 & 63 == 32)  // L = 128/255 * 63
        #expect((header24 >> 6) & 63 == 32 && (header24 >> 12) & 63 == 32)  // P = Q = 0 → round(31.5)
        #expect((header24 >> 18) & 31 == 0)  // no luminance variation
    }

    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ])
    func base64MatchesRFC4648(_ pair: (String, String)) {
        #expect(ThumbHash.base64(Array(pair.0.utf8)) == pair.1)
    }

    @Test func base64UsesPlusAndSlash() {
        #expect(ThumbHash.base64([0xFB, 0xFF, 0xBF]) == "+/+/")
    }
}

@Suite("DominantColor")
struct DominantColorTests {
    @Test(arguments: [(UInt8(37), UInt8(150), UInt8(201)), (0, 0, 0), (255, 255, 255)])
    func solidColourIsThatColour(_ colour: (UInt8, UInt8, UInt8)) {
        let result = DominantColor.of(rgba: solid(9, 5, colour.0, colour.1, colour.2), width: 9, height: 5)
        #expect(result == (colour.0, colour.1, colour.2))
    }

    @Test func majorityWinsOverAverage() {
        // 70% red, 30% blue: the answer is red, not the purple an average would give.
        let pixels = solid(10, 7, 255, 0, 0) + solid(10, 3, 0, 0, 255)
        #expect(DominantColor.of(rgba: pixels, width: 10, height: 10) == (255, 0, 0))
    }

    @Test func meanOfTheWinningBucket() {
        // 240 and 250 share the top nibble 15; 3 + 1 pixels of them outnumber 2 of green.
        let pixels = solid(3, 1, 240, 0, 0) + solid(1, 1, 250, 0, 0) + solid(2, 1, 0, 255, 0)
        #expect(DominantColor.of(rgba: pixels, width: 6, height: 1) == (243, 0, 0))  // (720 + 250) / 4 = 242.5 → 243
    }

    @Test func transparentPixelsDoNotCount() {
        // Green outnumbers the opaque pixels, but none of it is opaque.
        let pixels = solid(8, 1, 0, 255, 0, alpha: 0) + solid(3, 1, 0, 255, 0, alpha: 254) + solid(2, 1, 10, 20, 30)
        #expect(DominantColor.of(rgba: pixels, width: 13, height: 1) == (10, 20, 30))
    }

    @Test func translucentImageFallsBackToVisiblePixels() {
        let pixels = solid(3, 1, 90, 80, 70, alpha: 128) + solid(5, 1, 1, 2, 3, alpha: 0)
        #expect(DominantColor.of(rgba: pixels, width: 8, height: 1) == (90, 80, 70))
    }

    @Test func invisibleOrEmptyImageIsBlack() {
        #expect(DominantColor.of(rgba: solid(4, 4, 200, 200, 200, alpha: 0), width: 4, height: 4) == (0, 0, 0))
        #expect(DominantColor.of(rgba: [], width: 0, height: 0) == (0, 0, 0))
    }

    @Test func tieGoesToTheLowestBucket() {
        let pixels = solid(2, 1, 200, 0, 0) + solid(2, 1, 0, 0, 200)
        #expect(DominantColor.of(rgba: pixels, width: 4, height: 1) == (0, 0, 200))
    }
}
