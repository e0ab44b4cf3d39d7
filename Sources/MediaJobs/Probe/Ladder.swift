/// One rendition of an HLS ladder or an MP4: exact output size and bitrate targets.
public struct Rung: Sendable, Equatable {
    /// The nominal rung (short side), e.g. 720.
    public var lines: Int
    public var width: Int
    public var height: Int
    public var bitrateKbps: Int

    public init(lines: Int, width: Int, height: Int, bitrateKbps: Int) {
        self.lines = lines
        self.width = width
        self.height = height
        self.bitrateKbps = bitrateKbps
    }

    public var name: String { "\(lines)p" }
    public var maxrateKbps: Int { bitrateKbps * 11 / 10 }
    public var bufsizeKbps: Int { bitrateKbps * 3 / 2 }
}

/// Chooses rungs: only at or below the source's display size (never upscaling), measured on the
/// short side so portrait video is treated like landscape; a source between rungs gets a top rung
/// at its own size.
public enum Ladder {
    /// Bitrate for a rung, H.264 at 30 fps (scaled for higher frame rates).
    public static func bitrateKbps(lines: Int, frameRate: Double) -> Int {
        let known: [Int: Int] = [2160: 14000, 1440: 8000, 1080: 5000, 720: 2800, 480: 1400, 360: 800, 240: 400, 144: 200]
        let base: Int
        if let value = known[lines] {
            base = value
        } else {
            // Between known rungs: bits grow with pixel count, a little less than linearly.
            let scaled = 5000 * pow15(Double(lines) / 1080)
            base = max(150, Int(scaled / 50) * 50)
        }
        return frameRate > 31 ? base * 3 / 2 : base
    }

    static func pow15(_ x: Double) -> Double { x * x.squareRoot() }

    /// Rungs for a source of `width`×`height` (display size), highest first.
    public static func plan(rungs requested: [Int], sourceWidth: Int, sourceHeight: Int, frameRate: Double) -> [Rung] {
        let short = min(sourceWidth, sourceHeight)
        let portrait = sourceHeight > sourceWidth
        var chosen = requested.filter { $0 <= short }.sorted(by: >)
        let ownSize = short - short % 2
        if let top = chosen.first {
            // Between rungs: add the source's own size on top, unless it is within 5% of the rung below.
            if ownSize > top && Double(ownSize) > Double(top) * 1.05 { chosen.insert(ownSize, at: 0) }
        } else {
            chosen = [ownSize]  // smaller than every rung: one rendition at its own size
        }
        return chosen.map { lines in
            let long = even(Double(lines) * Double(max(sourceWidth, sourceHeight)) / Double(short))
            let (width, height) = portrait ? (lines, long) : (long, lines)
            return Rung(lines: lines, width: width, height: height, bitrateKbps: bitrateKbps(lines: lines, frameRate: frameRate))
        }
    }

    /// The size for one output capped at `maxLines` on the short side (MP4, stills).
    public static func fit(maxLines: Int, sourceWidth: Int, sourceHeight: Int, frameRate: Double) -> Rung {
        plan(rungs: [maxLines], sourceWidth: sourceWidth, sourceHeight: sourceHeight, frameRate: frameRate).last!
    }

    /// Rounds to the nearest even number (H.264 with 4:2:0 needs even sizes), at least 2.
    public static func even(_ value: Double) -> Int { max(2, Int((value / 2).rounded()) * 2) }

    /// The H.264 level (×10) that fits a size, frame rate and bitrate, High profile.
    public static func h264Level(width: Int, height: Int, frameRate: Double, maxrateKbps: Int) -> Int {
        let frameSize = ((width + 15) / 16) * ((height + 15) / 16)
        let perSecond = Double(frameSize) * max(frameRate, 1)
        // (level, MaxFS, MaxMBPS, MaxBR for High in kbit/s)
        let levels: [(Int, Int, Double, Int)] = [
            (30, 1620, 40500, 12500), (31, 3600, 108_000, 17500), (32, 5120, 216_000, 25000), (40, 8192, 245_760, 25000),
            (41, 8192, 245_760, 62500), (42, 8704, 522_240, 62500), (50, 22080, 589_824, 168_750), (51, 36864, 983_040, 300_000),
            (52, 36864, 2_073_600, 300_000),
        ]
        for (level, maxFS, maxMBPS, maxBR) in levels where frameSize <= maxFS && perSecond <= maxMBPS && maxrateKbps <= maxBR {
            return level
        }
        return 52
    }
}
