/// One FFmpeg (or ffprobe) invocation: an argument array (never a shell line) and the files it
/// writes, relative to the job's temp dir, which is the process's working directory.
public struct FFmpegCommand: Sendable, Equatable {
    public enum Tool: String, Sendable { case ffmpeg, ffprobe }

    public var tool: Tool
    public var arguments: [String]
    /// Seconds of output time that mean 100% (for `-progress` out_time); nil: no progress.
    public var progressSeconds: Double?
    /// Write standard output to this file (ffprobe JSON) instead of parsing it as progress.
    public var stdoutFile: String?
    /// Keep standard error (loudnorm's measurement is printed there).
    public var captureStandardError = false

    public init(tool: Tool = .ffmpeg, arguments: [String], progressSeconds: Double? = nil, stdoutFile: String? = nil) {
        self.tool = tool
        self.arguments = arguments
        self.progressSeconds = progressSeconds
        self.stdoutFile = stdoutFile
    }
}

/// The pieces every command shares.
public enum FFmpegArguments {
    /// The job's copy of the source, under a name Magpie chose.
    public static let sourceFile = "source"

    /// Demuxers a source may use. Playlists (hls, concat, …) and image patterns are not among them,
    /// so a crafted file cannot point FFmpeg at other files.
    public static let allowedDemuxers = [
        "mov", "matroska", "avi", "flv", "mpegts", "mpeg", "ogg", "wav", "mp3", "flac", "aac", "asf", "aiff", "caf", "w64", "amr", "mxf", "dv",
    ].joined(separator: ",")

    static let prelude = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
    static let progress = ["-progress", "pipe:1", "-nostats"]

    /// An input: only the `file` protocol (no network, no other protocol a playlist could name) and
    /// only the allowed demuxers. `seek` goes before `-i` (seek, then decode).
    public static func input(seek: Double? = nil, duration: Double? = nil, keyframesOnly: Bool = false, path: String = sourceFile) -> [String] {
        var args = ["-protocol_whitelist", "file", "-format_whitelist", allowedDemuxers]
        if keyframesOnly { args += ["-skip_frame", "nokey"] }
        if let seek { args += ["-ss", Format.decimal(seek, places: 3)] }
        if let duration { args += ["-t", Format.decimal(duration, places: 3)] }
        return args + ["-i", path]
    }

    /// ffprobe's JSON description of the source.
    public static func probe(path: String = sourceFile, into file: String) -> FFmpegCommand {
        let args = [
            "-hide_banner", "-loglevel", "error", "-protocol_whitelist", "file", "-format_whitelist", allowedDemuxers,
            "-print_format", "json", "-show_format", "-show_streams", "-i", path,
        ]
        return FFmpegCommand(tool: .ffprobe, arguments: args, stdoutFile: file)
    }

    /// ffprobe of one produced file (a rendition's init segment), for the codec facts of a playlist.
    public static func probeOutput(path: String, into file: String) -> FFmpegCommand {
        let args = ["-hide_banner", "-loglevel", "error", "-protocol_whitelist", "file", "-print_format", "json", "-show_streams", "-i", path]
        return FFmpegCommand(tool: .ffprobe, arguments: args, stdoutFile: file)
    }

    static func scale(_ width: Int, _ height: Int) -> String { "scale=\(width):\(height):flags=bicubic,setsar=1" }

    static func x264(preset: String?) -> [String] {
        ["-c:v", "libx264", "-preset", preset ?? "veryfast", "-pix_fmt", "yuv420p"]
    }

    /// `-map_metadata -1`: outputs carry no source tags (locations, device names).
    static let stripMetadata = ["-map_metadata", "-1"]
}
