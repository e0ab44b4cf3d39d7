import ArgumentParser
import Foundation
import MediaJobs

struct SignPrefix: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign-prefix",
        abstract: "Print a playback URL /p/<token>/… that grants every object under a prefix (HLS playlists and segments) until it expires.")

    @Argument(help: "s3://bucket/prefix/") var target: String
    @Option(help: "Seconds the URL stays valid (1…2592000).") var expires: Int = 3600
    @Option(help: "The file under the prefix the printed URL names (default master.m3u8 when the prefix holds HLS; give '' for the bare prefix).")
    var file: String = "master.m3u8"
    @Option(help: "Server endpoint (env MAGPIE_ENDPOINT).") var endpoint: String?
    @Option(name: .customLong("data-dir"), help: "The server's data dir, for its job signing key (or env MAGPIE_JOB_KEY).") var dataDir: String?

    func run() async throws {
        guard (1...2_592_000).contains(expires) else { throw ValidationError("--expires must be 1…2592000 seconds (30 days)") }
        let location: S3Location
        do { location = try S3Location.parse(target, requireKey: false) } catch { throw ValidationError("target must look like s3://bucket/prefix/") }
        let key = try JobKeys.forClient(dataDirectory: dataDir)
        let token = PlaybackToken(bucket: location.bucket, prefix: location.asPrefix, expires: Int64(Date().timeIntervalSince1970) + Int64(expires))
        let base = endpoint ?? ProcessInfo.processInfo.environment["MAGPIE_ENDPOINT"] ?? "http://127.0.0.1:9000"
        print("\(base)/p/\(token.encode(key: key))/\(file)")
    }
}
