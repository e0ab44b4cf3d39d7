import ArgumentParser
import Foundation

struct Jobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "Media jobs: submit, inspect, cancel and watch (transcodes, HLS, thumbnails, audio …).",
        subcommands: [Submit.self, Get.self, List.self, Cancel.self, Watch.self])

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue a job. Outputs by type (--output hls --output thumbnail …) or a whole JSON spec (--spec file.json, - for stdin).")
        @OptionGroup var options: JobClientOptions
        @Option(help: "s3://bucket/key of the source.") var source: String?
        @Option(help: "s3://bucket/prefix/ the outputs go under (default: <source key without extension>/).") var destination: String?
        @Option(
            name: .customLong("output"),
            help: "An output type with default settings: probe, mp4, hls, thumbnail, poster, storyboard, preview, audio, waveform (repeatable).")
        var outputs: [String] = []
        @Option(help: "A JSON object of one output with settings, e.g. '{\"type\":\"hls\",\"rungs\":[720,360]}' (repeatable).") var outputJSON:
            [String] = []
        @Option(help: "Webhook URL called when the job ends.") var webhook: String?
        @Option(help: "The whole job as JSON (a file, or - for stdin).") var spec: String?
        @Flag(help: "Follow the job's progress until it ends.") var watch = false

        func run() async throws {
            let body: Data
            if let spec {
                body = spec == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: spec))
            } else {
                guard let source else { throw ValidationError("give --source (and outputs), or --spec") }
                var items: [Any] = outputs.map {
                    ["type": $0 == "audio" ? "audio" : $0].merging($0 == "audio" ? ["format": "aac"] : [:]) { a, _ in a }
                }
                for text in outputJSON {
                    guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                        throw ValidationError("--output-json must be a JSON object")
                    }
                    items.append(object)
                }
                guard !items.isEmpty else { throw ValidationError("name at least one --output or --output-json") }
                var document: [String: Any] = ["source": source, "destination": destination ?? Self.defaultDestination(source), "outputs": items]
                if let webhook { document["webhook"] = webhook }
                body = try JSONSerialization.data(withJSONObject: document)
            }
            let client = try options.client()
            let answer = try await client.sendRaw("POST", "/-/api/v1/jobs", body: body)
            printJSON(answer)
            if watch, let object = try? JSONSerialization.jsonObject(with: answer) as? [String: Any], let id = object["id"] as? String {
                let final = try await JobWatcher(client: client).watch(jobId: id, quiet: false)
                if (final["status"] as? String) != "succeeded" { throw ExitCode(1) }
            }
        }

        /// `s3://b/videos/clip.mp4` → `s3://b/videos/clip/`.
        static func defaultDestination(_ source: String) -> String {
            guard let slash = source.lastIndex(of: "/") else { return source + "/" }
            let last = source[source.index(after: slash)...]
            if let dot = last.lastIndex(of: "."), dot != last.startIndex { return String(source[..<dot]) + "/" }
            return source + "/"
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a job.")
        @OptionGroup var options: JobClientOptions
        @Argument(help: "Job id.") var id: String
        func run() async throws { printJSON(try await options.client().send("GET", "/-/api/v1/jobs/\(id)")) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List jobs, newest first.")
        @OptionGroup var options: JobClientOptions
        @Option(help: "queued, running, succeeded, failed or canceled.") var status: String?
        @Option(help: "At most this many (1…1000, default 100).") var limit: Int?
        func run() async throws {
            var query: [URLQueryItem] = []
            if let status { query.append(URLQueryItem(name: "status", value: status)) }
            if let limit { query.append(URLQueryItem(name: "limit", value: String(limit))) }
            printJSON(try await options.client().send("GET", "/-/api/v1/jobs", query: query))
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a queued or running job (its FFmpeg is stopped).")
        @OptionGroup var options: JobClientOptions
        @Argument(help: "Job id.") var id: String
        func run() async throws { printJSON(try await options.client().send("POST", "/-/api/v1/jobs/\(id)/cancel")) }
    }

    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Draw a job's progress until it ends, then print it; exits 1 unless it succeeded.")
        @OptionGroup var options: JobClientOptions
        @Argument(help: "Job id.") var id: String
        @Flag(help: "No progress bar; print only the final job.") var quiet = false
        func run() async throws {
            let client = try options.client()
            _ = try await JobWatcher(client: client).watch(jobId: id, quiet: quiet)
            let final = try await client.send("GET", "/-/api/v1/jobs/\(id)")
            printJSON(final)
            let object = try? JSONSerialization.jsonObject(with: final) as? [String: Any]
            if (object?["status"] as? String) != "succeeded" { throw ExitCode(1) }
        }
    }
}

struct Rules: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "A bucket's processing rules: new objects that match enqueue jobs.",
        subcommands: [Set.self, Get.self, Delete.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace a bucket's rules with a JSON document {\"rules\": [...]} (a file, or - for stdin).")
        @OptionGroup var options: JobClientOptions
        @Argument(help: "Bucket.") var bucket: String
        @Argument(help: "Rules file, or -.") var file: String
        func run() async throws {
            let body = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
            printJSON(try await options.client().sendRaw("PUT", "/-/api/v1/buckets/\(bucket)/rules", body: body))
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a bucket's rules.")
        @OptionGroup var options: JobClientOptions
        @Argument(help: "Bucket.") var bucket: String
        func run() async throws { printJSON(try await options.client().send("GET", "/-/api/v1/buckets/\(bucket)/rules")) }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a bucket's rules.")
        @OptionGroup var options: JobClientOptions
        @Argument(help: "Bucket.") var bucket: String
        func run() async throws {
            _ = try await options.client().send("DELETE", "/-/api/v1/buckets/\(bucket)/rules")
            print("deleted the rules of \(bucket)")
        }
    }
}
