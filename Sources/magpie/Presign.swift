import ArgumentParser
import Foundation
import S3Protocol

struct Presign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a presigned URL (SigV4 query string) for GET or PUT.")

    @Argument(help: "GET or PUT.") var method: String
    @Argument(help: "s3://bucket/key") var target: String
    @Option(help: "Seconds the URL stays valid (1…604800).") var expires: Int = 3600
    @Option(name: .customLong("max-size"), help: "POST only: largest upload, e.g. 10MiB, 500KB, 1048576.") var maxSize: String?
    @Option(name: .customLong("content-type"), help: "POST only: the Content-Type the form sets (and the policy requires).") var contentType: String?
    @OptionGroup var options: ClientOptions

    func run() async throws {
        let method = method.uppercased()
        guard ["GET", "PUT", "HEAD", "DELETE", "POST"].contains(method) else { throw ValidationError("method must be GET, PUT or POST") }
        guard (1...604_800).contains(expires) else { throw ValidationError("--expires must be 1…604800 seconds (7 days)") }
        guard target.hasPrefix("s3://") else { throw ValidationError("target must look like s3://bucket/key") }
        let path = target.dropFirst("s3://".count)
        if method == "POST" { return try printForm(path: path) }
        guard let slash = path.firstIndex(of: "/"), path.index(after: slash) < path.endIndex else {
            throw ValidationError("target must name a bucket and a key: s3://bucket/key")
        }
        let (credentials, endpoint, region) = try resolved()
        let bucket = String(path[..<slash]), key = String(path[path.index(after: slash)...])
        guard let base = URL(string: endpoint + "/" + bucket + "/" + Self.encodeKey(key)) else { throw ValidationError("invalid endpoint") }
        let signer = SigV4Signer(accessKey: credentials.accessKey, secretKey: credentials.secretKey, region: region)
        print(signer.presignedURL(method: method, url: base, expires: expires, date: Date()).absoluteString)
    }

    /// A browser upload form for `s3://bucket/prefix/`: prints the URL and the fields as JSON; the
    /// object key is the prefix followed by the uploaded file's name.
    func printForm(path: Substring) throws {
        let bucket = String(path.prefix { $0 != "/" })
        let prefix = String(path.dropFirst(bucket.count + 1))
        let (credentials, endpoint, region) = try resolved()
        let builder = PostPolicyBuilder(
            bucket: bucket, keyPrefix: prefix, expiration: Date().addingTimeInterval(Double(expires)),
            maxSize: try maxSize.map(Self.parseSize), contentType: contentType
        )
        let fields = builder.fields(accessKey: credentials.accessKey, secretKey: credentials.secretKey, region: region, date: Date())
        struct Form: Encodable { let url: String; let fields: [String: String] }
        let form = Form(url: endpoint + "/" + bucket, fields: Dictionary(fields, uniquingKeysWith: { $1 }))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(form), as: UTF8.self))
    }

    func resolved() throws -> (RootCredentials, String, String) {
        let env = ProcessInfo.processInfo.environment
        let credentials: RootCredentials
        if let access = env["AWS_ACCESS_KEY_ID"], let secret = env["AWS_SECRET_ACCESS_KEY"] {
            credentials = RootCredentials(accessKey: access, secretKey: secret)
        } else {
            credentials = try RootCredentials.forClient(dataDirectory: options.dataDir)
        }
        return (credentials, options.endpoint ?? env["MAGPIE_ENDPOINT"] ?? "http://127.0.0.1:9000", env["AWS_DEFAULT_REGION"] ?? "us-east-1")
    }

    /// `10MiB`, `500KB`, `1GiB`, `1048576`.
    static func parseSize(_ text: String) throws -> Int64 {
        let units: [(String, Int64)] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1000), ("B", 1)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let value = Int64(text.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), value > 0 else { break }
            return value * factor
        }
        guard let value = Int64(text), value > 0 else { throw ValidationError("--max-size must look like 10MiB, 500KB or a byte count") }
        return value
    }

    /// Each key byte outside the unreserved set (and `/`) percent-encoded, as S3 clients do.
    static func encodeKey(_ key: String) -> String {
        var allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~/")
        allowed.remove(charactersIn: "")
        return key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key
    }
}
