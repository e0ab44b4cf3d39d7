import MediaJobs
import Testing

@Suite struct AnalysisTests {
    @Test func waveformPairsMinAndMaxPerPixel() {
        var builder = WaveformBuilder(sampleRate: 8000, samplesPerPixel: 2, bits: 16)
        let samples: [Int16] = [100, -200, 300, 400, -32768]
        let bytes = samples.flatMap { [UInt8(truncatingIfNeeded: UInt16(bitPattern: $0)), UInt8(truncatingIfNeeded: UInt16(bitPattern: $0) >> 8)] }
        builder.feed(bytes.prefix(3))  // a chunk ending mid-sample
        builder.feed(bytes.dropFirst(3))
        let data = builder.finish()
        #expect(data.data == [-200, 100, 300, 400, -32768, -32768])
        #expect(data.length == 3 && data.version == 2 && data.channels == 1 && data.sampleRate == 8000 && data.samplesPerPixel == 2)
    }

    @Test func eightBitWaveformsScaleDown() {
        var builder = WaveformBuilder(sampleRate: 8000, samplesPerPixel: 4, bits: 8)
        builder.feed([0x00, 0x80, 0xFF, 0x7F])  // -32768, 32767
        #expect(builder.finish().data == [-128, 127])
    }

    @Test func probeJSONWithRotationAndCoverArt() throws {
        let json = """
            {"streams":[
              {"index":0,"codec_name":"h264","codec_type":"video","profile":"High","level":31,"width":1280,"height":720,
               "r_frame_rate":"30/1","avg_frame_rate":"30000/1001","side_data_list":[{"side_data_type":"Display Matrix","rotation":-90}]},
              {"index":1,"codec_name":"aac","codec_type":"audio","sample_rate":"48000","channels":2,"bit_rate":"128000"},
              {"index":2,"codec_name":"mjpeg","codec_type":"video","width":300,"height":300,"disposition":{"attached_pic":1}}],
             "format":{"format_name":"mov,mp4,m4a,3gp,3g2,mj2","duration":"4.004000","size":"123456","bit_rate":"246000"}}
            """
        let info = try MediaInfo.parse(ffprobeJSON: Array(json.utf8))
        #expect(info.duration == 4.004)
        #expect(info.video?.rotation == 90)
        #expect(info.video!.displaySize! == (720, 1280))
        #expect(abs((info.video?.frameRate ?? 0) - 29.97) < 0.01)
        #expect(info.audio?.sampleRate == 48000 && info.audio?.channels == 2)
        #expect(info.streams[2].attachedPicture == true)
        #expect(info.sizeBytes == 123456)
    }

    @Test func limitsRefuseWithReasons() throws {
        var limits = MediaLimits()
        limits.maxDurationSeconds = 60
        let long = MediaInfo(duration: 61, container: "mov", streams: [MediaInfo.Stream(index: 0, type: "audio", codec: "aac")])
        #expect(throws: JobError.self) { try long.check(limits) }
        let empty = MediaInfo(duration: 1, container: "mov", streams: [MediaInfo.Stream(index: 0, type: "data")])
        do {
            try empty.check(limits)
            Issue.record("accepted a source without streams")
        } catch let error as JobError {
            #expect(error.code == .invalidMedia)
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: JobError.self) { try MediaInfo.parse(ffprobeJSON: Array("not json".utf8)) }
    }

    @Test func contentTypesForPlayback() {
        #expect(ContentTypes.forName("master.m3u8") == "application/vnd.apple.mpegurl")
        #expect(ContentTypes.forName("720p/seg_00001.m4s") == "video/iso.segment")
        #expect(ContentTypes.forName("a/seg.ts") == "video/mp2t")
        #expect(ContentTypes.forName("x.vtt").hasPrefix("text/vtt"))
        #expect(ContentTypes.forName("v.mp4") == "video/mp4")
    }
}
