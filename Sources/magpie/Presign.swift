import ArgumentParser
import Foundation
import S3Protocol

struct Presign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a presigned URL (SigV4 query string) for GET or PUT.")

    @Argument(help: "GET or PUT.") var method: String
    @Argument(help: "s3://bucket/key") var target: String
    @Option(help: "Seconds the URL stays valid (1…604800).") var expires: Int = 3600
    @OptionGroup var options: ClientOptions

    func run() async throws {
        let method = method.uppercased()
        guard ["GET", "PUT", "HEAD", "DELETE"].contains(method) else { throw ValidationError("method must be GET or PUT") }
        guard (1...604_800).contains(expires) else { throw ValidationError("--expires must be 1…604800 seconds (7 days)") }
        guard target.hasPrefix("s3://") else { throw ValidationError("target must look like s3://bucket/key") }
        let path = target.dropFirst("s3://".count)
        guard let slash = path.firstIndex(of: "/"), path.index(after: slash) < path.endIndex else {
            throw ValidationError("target must name a bucket and a key: s3://bucket/key")
        }
        let env = ProcessInfo.processInfo.environment
        let credentials: RootCredentials
        if let access = env["AWS_ACCESS_KEY_ID"], let secret = env["AWS_SECRET_ACCESS_KEY"] {
            credentials = RootCredentials(accessKey: access, secretKey: secret)
        } else {
            credentials = try RootCredentials.forClient(dataDirectory: options.dataDir)
        }
        let endpoint = options.endpoint ?? env["MAGPIE_ENDPOINT"] ?? "http://127.0.0.1:9000"
        let bucket = String(path[..<slash]), key = String(path[path.index(after: slash)...])
        guard let base = URL(string: endpoint + "/" + bucket + "/" + Self.encodeKey(key)) else { throw ValidationError("invalid endpoint") }
        let signer = SigV4Signer(accessKey: credentials.accessKey, secretKey: credentials.secretKey, region: env["AWS_DEFAULT_REGION"] ?? "us-east-1")
        print(signer.presignedURL(method: method, url: base, expires: expires, date: Date()).absoluteString)
    }

    /// Each key byte outside the unreserved set (and `/`) percent-encoded, as S3 clients do.
    static func encodeKey(_ key: String) -> String {
        var allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~/")
        allowed.remove(charactersIn: "")
        return key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key
    }
}
