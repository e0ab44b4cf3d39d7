import ArgumentParser
import Foundation
import ImageProtocol
import Imaging
import Synchronization

/// The in-process ceiling for `make bench`: the same pipeline the server runs, called in a loop
/// on N threads with no HTTP, no cache and no storage in between.
struct ImageBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure the in-process libvips ceiling for one transformation (prints JSON).", shouldDisplay: false)

    @Option(help: "Source image file.") var file: String
    @Option(help: "imgproxy options, e.g. rs:fill:300:200/g:sm.") var options: String
    @Option(help: "Output format.") var format: String = "jpg"
    @Option(help: "Threads.") var concurrency: Int = 2
    @Option(help: "Seconds to run.") var seconds: Double = 10

    func run() throws {
        let source = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        let request = try ImgproxyGrammar.parse(path: "/_/\(options)/plain/s3://bench/source@\(format)").request
        guard case .fixed(let output)? = request.options.format else { throw ValidationError("give a fixed --format") }
        let engine = ImageEngine(threads: 1)
        let latencies = Mutex<[Double]>([])
        let failures = Mutex(0)
        let deadline = Date().addingTimeInterval(seconds)
        let group = DispatchGroup()
        let started = Date()
        for _ in 0..<max(1, concurrency) {
            group.enter()
            let thread = Thread {
                var mine: [Double] = []
                while Date() < deadline {
                    let begin = ContinuousClock.now
                    do {
                        _ = try engine.processHere(source: source, options: request.options, output: .fixed(output))
                        mine.append((ContinuousClock.now - begin).seconds)
                    } catch {
                        failures.withLock { $0 += 1 }
                    }
                }
                latencies.withLock { $0.append(contentsOf: mine) }
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        let elapsed = Date().timeIntervalSince(started)
        let sorted = latencies.withLock { $0 }.sorted()
        func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000 }
        let result: [String: Any] = [
            "requests": sorted.count, "failures": failures.withLock { $0 }, "seconds": elapsed,
            "rps": Double(sorted.count) / elapsed, "p50_ms": percentile(0.5), "p99_ms": percentile(0.99),
        ]
        let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
