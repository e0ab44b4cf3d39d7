import CMagpieSpawn
import Foundation
import MediaJobs
import NIOPosix
import Synchronization

/// Runs FFmpeg and ffprobe: argument arrays only (fork/exec, never a shell), a working directory
/// Magpie created, stdin from /dev/null, stderr to a file, progress read from stdout, a wall-clock
/// timeout, and termination (SIGTERM to the process group, SIGKILL after a grace period) on
/// cancellation — with a parent-death signal so that even a `kill -9` of the server leaves no
/// FFmpeg behind.
public struct ProcessRunner: Sendable {
    public struct Tools: Sendable {
        public var ffmpeg: String
        public var ffprobe: String
        public init(ffmpeg: String, ffprobe: String) {
            self.ffmpeg = ffmpeg
            self.ffprobe = ffprobe
        }

        /// The first executable of each name on `PATH`.
        public static func fromPath() -> Tools {
            let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
            func find(_ name: String) -> String {
                for directory in path.split(separator: ":") where access("\(directory)/\(name)", X_OK) == 0 { return "\(directory)/\(name)" }
                return "/usr/bin/\(name)"
            }
            return Tools(ffmpeg: find("ffmpeg"), ffprobe: find("ffprobe"))
        }
    }

    /// How a run ended.
    public struct Outcome: Sendable {
        public var exitCode: Int32
        public var standardError: String
    }

    let tools: Tools
    /// Dedicated, long-lived threads: spawning from them keeps the parent-death signal meaningful
    /// (it fires when the spawning thread ends), and blocking reads never starve the shared pool.
    let pool: NIOThreadPool
    let terminationGrace: Duration

    public init(tools: Tools, threads: Int, terminationGrace: Duration = .seconds(5)) {
        self.tools = tools
        self.pool = NIOThreadPool(numberOfThreads: max(2, threads))
        self.pool.start()
        self.terminationGrace = terminationGrace
    }

    public func shutdown() async {
        try? await pool.shutdownGracefully()
    }

    /// Runs `command` in `directory`; `deadline` is a wall-clock limit. Calls `progress` with the
    /// fraction done (0…1) as FFmpeg reports it. Task cancellation terminates the process.
    public func run(_ command: FFmpegCommand, in directory: String, timeout: Duration, progress: @escaping @Sendable (Double) -> Void = { _ in })
        async throws -> Outcome
    {
        let executable = command.tool == .ffmpeg ? tools.ffmpeg : tools.ffprobe
        let stderrPath = directory + "/.stderr-\(UUID().uuidString.prefix(8))"
        let errFD = open(stderrPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard errFD >= 0 else {
            throw JobError(.storage, "The job's work area is not writable.", transient: true, detail: "open stderr: errno \(errno)")
        }
        defer { unlink(stderrPath) }
        let (readFD, childOut): (Int32, Int32) = {
            if let file = command.stdoutFile { return (-1, open(directory + "/" + file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)) }
            var fds: [Int32] = [-1, -1]
            return magpie_pipe_cloexec(&fds) == 0 ? (fds[0], fds[1]) : (-1, -1)
        }()
        guard childOut >= 0 else {
            close(errFD)
            throw JobError(.storage, "The job's work area is not writable.", transient: true, detail: "stdout: errno \(errno)")
        }
        let argv = [executable] + command.arguments
        let environment = ["PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C"]
        let pid: pid_t
        do {
            pid = try await pool.runIfActive {
                Self.spawn(executable, argv, environment, directory, childOut, errFD)
            }
        } catch {
            close(childOut); close(errFD)
            if readFD >= 0 { close(readFD) }
            throw JobError(.internalError, "The worker is shutting down.", transient: true)
        }
        close(childOut)
        close(errFD)
        guard pid > 0 else {
            if readFD >= 0 { close(readFD) }
            throw JobError(
                .internalError, "FFmpeg could not be started; is it installed?", transient: false, detail: "spawn \(executable): errno \(-pid)")
        }
        let handle = RunningProcess(pid: pid)
        let total = command.progressSeconds
        let pool = pool, grace = terminationGrace
        let exitCode: Int32 = await withTaskGroup(of: Int32?.self) { group in
            group.addTask {
                // Reader: progress lines until EOF (the process ended or was killed), then reap it.
                // Its blocking calls run detached: a cancelled job must not look like EOF and an exit
                // (which would stop the watchdog before it sent SIGTERM); the watchdog ends the process
                // and this task then sees the real EOF and reaps it.
                if readFD >= 0 {
                    var parser = ProgressParser(totalSeconds: total ?? 0)
                    while true {
                        let chunk: [UInt8]? = await Task.detached {
                            try? await pool.runIfActive {
                                var local = [UInt8](repeating: 0, count: 16384)
                                let count = local.withUnsafeMutableBytes { read(readFD, $0.baseAddress, $0.count) }
                                if count < 0 && errno == EINTR { return [] }
                                return count > 0 ? Array(local[0..<count]) : nil
                            }
                        }.value ?? nil
                        guard let chunk else { break }
                        if parser.feed(chunk), total != nil { progress(parser.fraction) }
                    }
                    close(readFD)
                }
                let code = await Task.detached { try? await pool.runIfActive { magpie_wait(pid) } }.value ?? -1
                handle.markExited()
                return code
            }
            group.addTask {
                // Watchdog: timeout, cancellation, and SIGKILL when SIGTERM was not enough.
                let clock = ContinuousClock()
                let started = clock.now
                while !handle.exited {
                    if Task.isCancelled { handle.terminate(.canceled) }
                    if clock.now - started > timeout { handle.terminate(.timeout) }
                    if let since = handle.terminationRequested, clock.now - since > grace { handle.kill() }
                    // Detached: once cancelled, this task's own sleep would return at once and spin.
                    await Task.detached { try? await Task.sleep(for: .milliseconds(50)) }.value
                }
                return nil
            }
            var code: Int32 = -1
            for await value in group { if let value { code = value } }
            return code
        }
        let stderrText = Self.tail(of: stderrPath, limit: command.captureStandardError ? 1 << 20 : 4096)
        switch handle.reason {
        case .canceled: throw JobError(.canceled, "The job was canceled.")
        case .timeout: throw JobError(.timeout, "Processing took longer than the job's time limit.", detail: "after \(timeout)")
        case nil: break
        }
        if exitCode == 0 { return Outcome(exitCode: 0, standardError: stderrText) }
        if exitCode > 128 {
            throw JobError(.killed, "FFmpeg was stopped by a signal.", transient: true, detail: "signal \(exitCode - 128); \(stderrText)")
        }
        throw JobError(.processingFailed, "FFmpeg could not process the source.", detail: "exit \(exitCode): \(stderrText)")
    }

    static func spawn(_ path: String, _ argv: [String], _ env: [String], _ directory: String, _ out: Int32, _ err: Int32) -> pid_t {
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        var cEnv: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
        defer {
            for pointer in cArgs { free(pointer) }
            for pointer in cEnv { free(pointer) }
        }
        return magpie_spawn(path, &cArgs, &cEnv, directory, out, err)
    }

    /// The last `limit` bytes of a file, as text.
    static func tail(of path: String, limit: Int) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > UInt64(limit) ? size - UInt64(limit) : 0)
        let data = (try? handle.readToEnd()) ?? Data()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A spawned process's termination state, shared by the reader and the watchdog.
final class RunningProcess: Sendable {
    enum Reason: Sendable { case canceled, timeout }

    struct State {
        var exited = false
        var reason: Reason?
        var terminationRequested: ContinuousClock.Instant?
        var killed = false
    }

    let pid: pid_t
    let state = Mutex(State())

    init(pid: pid_t) { self.pid = pid }

    var exited: Bool { state.withLock { $0.exited } }
    var reason: Reason? { state.withLock { $0.reason } }
    var terminationRequested: ContinuousClock.Instant? { state.withLock { $0.terminationRequested } }

    func markExited() { state.withLock { $0.exited = true } }

    /// SIGTERM to the process group, once; the first reason wins.
    func terminate(_ reason: Reason) {
        let send: Bool = state.withLock { state in
            guard !state.exited, state.terminationRequested == nil else { return false }
            state.reason = reason
            state.terminationRequested = .now
            return true
        }
        if send { _ = magpie_kill_group(pid, SIGTERM) }
    }

    func kill() {
        let send: Bool = state.withLock { state in
            guard !state.exited, !state.killed else { return false }
            state.killed = true
            return true
        }
        if send { _ = magpie_kill_group(pid, SIGKILL) }
    }
}
