import ImageProtocol
import Imaging
import Testing

@Suite struct ResizePlanTests {
    func plan(_ w: Int, _ h: Int, _ configure: (inout ImageOptions) -> Void) -> ResizePlan {
        var options = ImageOptions()
        configure(&options)
        return ResizePlan(sourceWidth: w, sourceHeight: h, options: options)
    }

    @Test func fitKeepsAspectInsideTheBox() {
        let p = plan(4000, 3000) { $0.width = 300; $0.height = 200 }
        #expect((p.scaledWidth, p.scaledHeight) == (267, 200))
        #expect(!p.needsCrop)
    }

    @Test func fillCoversThenCrops() {
        let p = plan(4000, 3000) { $0.resizingType = .fill; $0.width = 300; $0.height = 200 }
        #expect((p.scaledWidth, p.scaledHeight) == (300, 225))
        #expect((p.cropWidth, p.cropHeight) == (300, 200))
    }

    @Test func forceStretches() {
        let p = plan(4000, 3000) { $0.resizingType = .force; $0.width = 300; $0.height = 300 }
        #expect((p.scaledWidth, p.scaledHeight) == (300, 300))
    }

    @Test func autoPicksFillWhenOrientationsAgreeAndFitOtherwise() {
        let landscape = plan(4000, 3000) { $0.resizingType = .auto; $0.width = 300; $0.height = 200 }
        #expect((landscape.cropWidth, landscape.cropHeight) == (300, 200))
        let portrait = plan(4000, 3000) { $0.resizingType = .auto; $0.width = 200; $0.height = 300 }
        #expect((portrait.cropWidth, portrait.cropHeight) == (200, 150))
    }

    @Test func neverEnlargesUnlessAsked() {
        let small = plan(100, 50) { $0.width = 400; $0.height = 400 }
        #expect((small.scaledWidth, small.scaledHeight) == (100, 50))
        let enlarged = plan(100, 50) { $0.width = 400; $0.height = 400; $0.enlarge = true }
        #expect((enlarged.scaledWidth, enlarged.scaledHeight) == (400, 200))
    }

    @Test func fillDownKeepsTheRequestedAspectWhenTooSmall() {
        let p = plan(200, 100) { $0.resizingType = .fillDown; $0.width = 400; $0.height = 400 }
        #expect((p.scaledWidth, p.scaledHeight) == (200, 100))
        #expect((p.cropWidth, p.cropHeight) == (100, 100))
        let fill = plan(200, 100) { $0.resizingType = .fill; $0.width = 400; $0.height = 400 }
        #expect((fill.cropWidth, fill.cropHeight) == (200, 100))
    }

    @Test func oneSideDerivesTheOther() {
        let p = plan(4000, 3000) { $0.width = 400 }
        #expect((p.scaledWidth, p.scaledHeight) == (400, 300))
        let h = plan(4000, 3000) { $0.height = 300; $0.resizingType = .fill }
        #expect((h.cropWidth, h.cropHeight) == (400, 300))
    }

    @Test func dprScalesTheBox() {
        let p = plan(4000, 3000) { $0.width = 300; $0.height = 200; $0.dpr = 2 }
        #expect((p.scaledWidth, p.scaledHeight) == (533, 400))
    }

    @Test func minWidthWins() {
        let p = plan(4000, 3000) { $0.width = 100; $0.height = 100; $0.minWidth = 200 }
        #expect(p.scaledWidth == 200)
        #expect(p.scaledHeight == 150)
    }

    @Test func zoomMultiplies() {
        let p = plan(4000, 3000) { $0.width = 400; $0.zoomX = 0.5; $0.zoomY = 0.5 }
        #expect((p.scaledWidth, p.scaledHeight) == (200, 150))
    }

    @Test func extendGrowsTheCanvas() {
        let p = plan(4000, 3000) { $0.width = 300; $0.height = 300; $0.extend = .center }
        #expect((p.scaledWidth, p.scaledHeight) == (300, 225))
        #expect((p.canvasWidth, p.canvasHeight) == (300, 300))
    }

    @Test(arguments: [
        (GravityType.north, 50, 0), (.south, 50, 100), (.east, 100, 50), (.west, 0, 50),
        (.northEast, 100, 0), (.northWest, 0, 0), (.southEast, 100, 100), (.southWest, 0, 100), (.center, 50, 50),
    ])
    func compassGravity(type: GravityType, left: Int, top: Int) {
        let position = gravityPosition(width: 200, height: 200, innerWidth: 100, innerHeight: 100, gravity: Gravity(type))
        #expect(position.left == left && position.top == top)
    }

    @Test func gravityOffsetsAndFocusPoint() {
        let offset = gravityPosition(width: 200, height: 200, innerWidth: 100, innerHeight: 100, gravity: Gravity(.northWest, x: 10, y: 20))
        #expect(offset == (10, 20))
        let point = gravityPosition(width: 200, height: 200, innerWidth: 100, innerHeight: 100, gravity: Gravity(.focusPoint, x: 0.9, y: 0.1))
        #expect(point == (100, 0))  // clamped inside
    }
}
