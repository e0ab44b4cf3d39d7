/// Where each storyboard tile comes from and where it sits in the sprite, and the WebVTT that maps
/// playback times to sprite rectangles (`sprite.jpg#xywh=x,y,w,h`).
public struct StoryboardPlan: Sendable, Equatable {
    public struct Tile: Sendable, Equatable {
        public var start: Double
        public var end: Double
        public var x: Int
        public var y: Int
    }

    public var tiles: [Tile]
    public var columns: Int
    public var rows: Int
    public var tileWidth: Int
    public var tileHeight: Int
    public var format: ImageFormat

    /// At most this many tiles (the interval grows for long sources).
    public static let maxTiles = 100

    public static func make(_ spec: StoryboardOutput, info: MediaInfo) throws(JobError) -> StoryboardPlan {
        let video = try FFmpegArguments.requireVideo(info)
        let (sw, sh) = video.displaySize ?? (1280, 720)
        let duration = info.duration
        var interval = spec.interval ?? max(1, duration / 60)
        if duration / interval > Double(maxTiles) { interval = duration / Double(maxTiles) }
        // A last piece shorter than a quarter interval gets no tile of its own (the cue before it runs to the end).
        let count = max(1, Int(((duration - interval / 4) / interval).rounded(.up)))
        let columns = min(spec.columns ?? 10, count)
        let rows = (count + columns - 1) / columns
        let width = Ladder.even(Double(min(spec.width ?? 160, sw)))
        let height = Ladder.even(Double(width) * Double(sh) / Double(sw))
        let tiles = (0..<count).map { index in
            Tile(
                start: Double(index) * interval, end: index == count - 1 ? duration : min(duration, Double(index + 1) * interval),
                x: (index % columns) * width, y: (index / columns) * height)
        }
        return StoryboardPlan(tiles: tiles, columns: columns, rows: rows, tileWidth: width, tileHeight: height, format: spec.format ?? .jpg)
    }

    /// The WebVTT file; `spriteName` is relative to the VTT file.
    public func webVTT(spriteName: String) -> String {
        var text = "WEBVTT\n"
        for tile in tiles {
            text += "\n\(Self.timestamp(tile.start)) --> \(Self.timestamp(tile.end))\n"
            text += "\(spriteName)#xywh=\(tile.x),\(tile.y),\(tileWidth),\(tileHeight)\n"
        }
        return text
    }

    /// `HH:MM:SS.mmm`.
    public static func timestamp(_ seconds: Double) -> String {
        let millis = Int((seconds * 1000).rounded())
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(millis / 3_600_000, 2)):\(pad(millis / 60000 % 60, 2)):\(pad(millis / 1000 % 60, 2)).\(pad(millis % 1000, 3))"
    }
}
