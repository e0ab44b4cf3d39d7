import Foundation
import MediaJobs
import MediaWorkers
import Testing

/// The runner with stand-in programs: it kills what it started, reports exits, reads progress.
@Suite struct ProcessRunnerTests {
    static func directory() -> String {
        let path = NSTemporaryDirectory() + "magpie-runner-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func alive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 }

    @Test func aTimeoutTerminatesTheProcess() async throws {
        let runner = ProcessRunner(tools: .init(ffmpeg: "/bin/sleep", ffprobe: "/bin/sleep"), threads: 2)
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            _ = try await runner.run(FFmpegCommand(arguments: ["300"]), in: dir, timeout: .milliseconds(200))
            Issue.record("sleep 300 finished")
        } catch let error as JobError {
            #expect(error.code == .timeout)
        }
        await runner.shutdown()
    }

    @Test func cancellationTerminatesTheProcessGroup() async throws {
        let runner = ProcessRunner(tools: .init(ffmpeg: "/bin/sh", ffprobe: "/bin/sh"), threads: 2)
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A shell that starts a child and records its pid: both must be gone afterwards.
        let task = Task {
            try await runner.run(FFmpegCommand(arguments: ["-c", "sleep 300 & echo $! > child.pid; wait"]), in: dir, timeout: .seconds(600))
        }
        var childPid: Int32?
        for _ in 0..<200 where childPid == nil {
            childPid = (try? String(contentsOfFile: dir + "/child.pid", encoding: .utf8)).flatMap {
                Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            if childPid == nil { try await Task.sleep(for: .milliseconds(25)) }
        }
        let pid = try #require(childPid)
        #expect(Self.alive(pid))
        task.cancel()
        do {
            _ = try await task.value
            Issue.record("the shell finished normally")
        } catch let error as JobError {
            #expect(error.code == .canceled)
        }
        // The child was in the process group that got SIGTERM; reap-free check via /proc state.
        let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.split(separator: " ").dropFirst(2).first
        #expect(state == nil || state == "Z")
        await runner.shutdown()
    }

    @Test func aFailingProgramIsAProcessingFailureWithItsStderrAsDetail() async throws {
        let runner = ProcessRunner(tools: .init(ffmpeg: "/bin/sh", ffprobe: "/bin/sh"), threads: 2)
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            _ = try await runner.run(FFmpegCommand(arguments: ["-c", "echo broken input >&2; exit 1"]), in: dir, timeout: .seconds(60))
            Issue.record("exit 1 succeeded")
        } catch let error as JobError {
            #expect(error.code == .processingFailed)
            #expect(error.detail?.contains("broken input") == true)
            #expect(!error.message.contains("broken input"))  // stderr never reaches the client
        }
        await runner.shutdown()
    }

    @Test func progressIsReadFromStandardOutput() async throws {
        let runner = ProcessRunner(tools: .init(ffmpeg: "/bin/sh", ffprobe: "/bin/sh"), threads: 2)
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let seen = ProgressBox()
        let command = FFmpegCommand(
            arguments: ["-c", "printf 'out_time_us=1000000\\nprogress=continue\\nout_time_us=2000000\\nprogress=end\\n'"], progressSeconds: 4)
        _ = try await runner.run(command, in: dir, timeout: .seconds(60)) { seen.add($0) }
        #expect(seen.values.last == 0.5)
        await runner.shutdown()
    }

    @Test func aMissingExecutableIsAClearError() async throws {
        let runner = ProcessRunner(tools: .init(ffmpeg: "/nonexistent/ffmpeg", ffprobe: "/nonexistent/ffprobe"), threads: 2)
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        await #expect(throws: JobError.self) { try await runner.run(FFmpegCommand(arguments: []), in: dir, timeout: .seconds(5)) }
        await runner.shutdown()
    }
}

final class ProgressBox: @unchecked Sendable {
    // Invariant: only touched under `lock`.
    private let lock = NSLock()
    private var stored: [Double] = []
    func add(_ value: Double) { lock.withLock { stored.append(value) } }
    var values: [Double] { lock.withLock { stored } }
}
