import MediaJobs
import Testing

@Suite struct LadderTests {
    @Test func landscape1080pGetsAllFourRungs() {
        let rungs = Ladder.plan(rungs: [1080, 720, 480, 360], sourceWidth: 1920, sourceHeight: 1080, frameRate: 29.97)
        #expect(rungs.map(\.lines) == [1080, 720, 480, 360])
        #expect(rungs.map(\.width) == [1920, 1280, 854, 640])
        #expect(rungs.map(\.height) == [1080, 720, 480, 360])
    }

    @Test func portraitIsMeasuredOnItsShortSide() {
        let rungs = Ladder.plan(rungs: [1080, 720, 480, 360], sourceWidth: 720, sourceHeight: 1280, frameRate: 30)
        #expect(rungs.map(\.lines) == [720, 480, 360])
        #expect(rungs.map(\.width) == [720, 480, 360])
        #expect(rungs.map(\.height) == [1280, 854, 640])
    }

    @Test func neverUpscalesASmallSource() {
        let rungs = Ladder.plan(rungs: [1080, 720, 480, 360], sourceWidth: 426, sourceHeight: 240, frameRate: 30)
        #expect(rungs.count == 1)
        #expect(rungs[0].width == 426 && rungs[0].height == 240)
    }

    @Test func aSourceBetweenRungsGetsATopRungAtItsOwnSize() {
        let rungs = Ladder.plan(rungs: [1080, 720, 480, 360], sourceWidth: 1600, sourceHeight: 900, frameRate: 30)
        #expect(rungs.map(\.lines) == [900, 720, 480, 360])
        #expect(rungs[0].width == 1600)
        #expect(rungs[0].bitrateKbps > rungs[1].bitrateKbps && rungs[0].bitrateKbps < 5000)
    }

    @Test func aSourceJustAboveARungAddsNoNearDuplicate() {
        let rungs = Ladder.plan(rungs: [1080, 720, 480, 360], sourceWidth: 1298, sourceHeight: 730, frameRate: 30)
        #expect(rungs.map(\.lines) == [720, 480, 360])
    }

    @Test func rotationSwapsTheDisplaySize() {
        var stream = MediaInfo.Stream(index: 0, type: "video", codec: "h264")
        stream.width = 1280
        stream.height = 720
        stream.rotation = 90
        #expect(stream.displaySize! == (720, 1280))
        stream.rotation = 180
        #expect(stream.displaySize! == (1280, 720))
    }

    @Test(arguments: [
        (1920, 1080, 29.97, 5500, 40), (1280, 720, 30.0, 3080, 31), (640, 360, 30.0, 880, 30), (1920, 1080, 60.0, 8250, 42),
        (3840, 2160, 30.0, 15400, 51),
    ])
    func h264LevelFitsSizeRateAndBitrate(width: Int, height: Int, fps: Double, maxrate: Int, level: Int) {
        #expect(Ladder.h264Level(width: width, height: height, frameRate: fps, maxrateKbps: maxrate) == level)
    }
}
