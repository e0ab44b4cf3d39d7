/// Content-Type by file extension for everything jobs write and playback serves.
public enum ContentTypes {
    public static func forName(_ name: String) -> String {
        let ext = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch ext {
        case "m3u8": return "application/vnd.apple.mpegurl"
        case "mpd": return "application/dash+xml"
        case "m4s": return "video/iso.segment"
        case "ts": return "video/mp2t"
        case "mp4", "m4v": return "video/mp4"
        case "vtt": return "text/vtt; charset=utf-8"
        case "jpg", "jpeg": return "image/jpeg"
        case "webp": return "image/webp"
        case "png": return "image/png"
        case "json": return "application/json"
        case "mp3": return "audio/mpeg"
        case "m4a": return "audio/mp4"
        case "opus", "ogg": return "audio/ogg"
        default: return "application/octet-stream"
        }
    }
}
