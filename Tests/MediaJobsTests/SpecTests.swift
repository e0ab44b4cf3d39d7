import MediaJobs
import Testing

@Suite struct SpecTests {
    func decode(_ text: String) throws -> JobSpec { try JobSpec.decode(Array(text.utf8)) }

    @Test func aFullSpecDecodes() throws {
        let spec = try decode(
            #"{"source":"s3://media/in/clip.mp4","destination":"s3://media/out/clip/","outputs":[{"type":"hls","rungs":[720,360]},{"type":"thumbnail","times":["50%",1.5]},{"type":"audio","format":"opus"}],"webhook":"https://example.com/hook"}"#
        )
        #expect(spec.source == S3Location(bucket: "media", key: "in/clip.mp4"))
        #expect(spec.destination.asPrefix == "out/clip/")
        #expect(spec.outputs.map(\.type) == ["hls", "thumbnail", "audio"])
        #expect(spec.workClass == .video)
        guard case .thumbnail(let thumbs) = spec.outputs[1] else { Issue.record("not a thumbnail"); return }
        #expect(thumbs.times == [.percent(50), .seconds(1.5)])
    }

    @Test(arguments: [
        (#"{"destination":"s3://b0b/x/","outputs":[{"type":"probe"}]}"#, "Missing \"source\""),
        (#"{"source":"http://x/y","destination":"s3://b0b/x/","outputs":[{"type":"probe"}]}"#, "is not an s3://bucket/key address"),
        (#"{"source":"s3://b0b/k","destination":"s3://b0b/x/","outputs":[{"type":"gif"}]}"#, "Unknown output type"),
        (#"{"source":"s3://b0b/k","destination":"s3://b0b/x/","outputs":[]}"#, "at least one output"),
        (#"{"source":"s3://b0b/k","destination":"s3://b0b/x/","outputs":[{"type":"probe"},{"type":"probe"}]}"#, "Two outputs are named"),
        (#"{"source":"s3://b0b/k","destination":"s3://b0b/x/","outputs":[{"type":"hls","rungs":[99999]}]}"#, "hls.rungs heights"),
        (#"{"source":"s3://b0b/k","destination":"s3://b0b/x/","outputs":[{"type":"thumbnail","times":["120%"]}]}"#, "percentage"),
        (#"{"source":"s3://b0b/k","destination":"s3://b0b/x/","outputs":[{"type":"probe","name":"../x"}]}"#, "output name"),
        (#"{"source":"s3://b0b/k","destination":"s3://b0b/x/","outputs":[{"type":"probe"}],"webhook":"file:///etc/passwd"}"#, "webhook"),
        (#"{"source":"s3://b0b/k","destination":"s3://b0b/x/","outputs":[{"type":"audio"}]}"#, "Missing \"format\""),
        ("[1,2", "not valid JSON"),
    ])
    func badSpecsFailWithAClearMessage(body: String, message: String) {
        do {
            _ = try decode(body)
            Issue.record("accepted \(body)")
        } catch let error as JobError {
            #expect(error.code == .invalidSpec)
            #expect(error.message.contains(message), "\(error.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func rulesMatchPrefixAndContentType() throws {
        let rule = ProcessingRule(id: "v", prefix: "uploads/", contentTypes: ["video/*", "audio/mpeg"], outputs: [.probe(ProbeOutput())])
        #expect(rule.matches(key: "uploads/a.mp4", contentType: "video/mp4"))
        #expect(rule.matches(key: "uploads/a.mp3", contentType: "audio/mpeg; charset=x"))
        #expect(!rule.matches(key: "uploads/a.wav", contentType: "audio/wav"))
        #expect(!rule.matches(key: "other/a.mp4", contentType: "video/mp4"))
        let job = try rule.job(bucket: "media", key: "uploads/dir/clip.final.mp4")
        #expect(job.destination == S3Location(bucket: "media", key: "media/uploads/dir/clip.final/"))
        #expect(job.source == S3Location(bucket: "media", key: "uploads/dir/clip.final.mp4"))
    }

    @Test func timePointsResolveWithinTheSource() throws {
        #expect(TimePoint.percent(50).resolve(duration: 10) == 5)
        #expect(TimePoint.seconds(30).resolve(duration: 10) == 9.9)
        #expect(try TimePoint.parse(" 25% ") == .percent(25))
        #expect(throws: JobError.self) { try TimePoint.parse("-1") }
    }
}

@Suite struct LifecycleTests {
    let policy = RetryPolicy(maxAttempts: 3, baseDelaySeconds: 2, maxDelaySeconds: 300)

    @Test func transientFailuresRetryWithExponentialBackoff() {
        var machine = JobStateMachine(status: .queued, attempts: 1, policy: policy)
        #expect(machine.claimed() == .run)
        let io = JobError(.storage, "disk", transient: true)
        #expect(machine.failed(io) == .retry(delaySeconds: 2, error: io))
        #expect(machine.status == .queued)
        machine = JobStateMachine(status: .queued, attempts: 2, policy: policy)
        _ = machine.claimed()
        #expect(machine.failed(io) == .retry(delaySeconds: 4, error: io))
        machine = JobStateMachine(status: .queued, attempts: 3, policy: policy)
        _ = machine.claimed()
        #expect(machine.failed(io) == .fail(io))
        #expect(machine.status == .failed)
    }

    @Test func invalidInputIsNeverRetried() {
        var machine = JobStateMachine(status: .queued, attempts: 1, policy: policy)
        _ = machine.claimed()
        let bad = JobError(.invalidMedia, "not media")
        #expect(machine.failed(bad) == .fail(bad))
    }

    @Test func aJobWhoseWorkersKeepDyingFails() {
        var machine = JobStateMachine(status: .running, attempts: 4, policy: policy)
        guard case .fail(let error) = machine.claimed() else { Issue.record("should fail"); return }
        #expect(error.code == .attemptsExhausted)
    }

    @Test func cancellation() {
        var queued = JobStateMachine(status: .queued, attempts: 0, policy: policy)
        #expect(queued.cancel() == .cancel)
        #expect(queued.status == .canceled)
        var running = JobStateMachine(status: .queued, attempts: 1, policy: policy)
        _ = running.claimed()
        #expect(running.cancel() == .stopProcess)
        #expect(running.failed(JobError(.killed, "signal", transient: true)) == .cancel)
        #expect(running.status == .canceled)
        #expect(running.cancel() == .none)
        var flagged = JobStateMachine(status: .queued, attempts: 1, cancelRequested: true, policy: policy)
        #expect(flagged.claimed() == .cancel)
    }

    @Test func backoffIsCapped() {
        #expect(RetryPolicy(maxAttempts: 20, baseDelaySeconds: 2, maxDelaySeconds: 60).delay(afterAttempt: 10) == 60)
    }
}
