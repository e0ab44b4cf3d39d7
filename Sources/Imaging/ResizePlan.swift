import ImageProtocol

/// The geometry of one transformation, computed from the source size and the options before any
/// pixel is decoded (so the thumbnail can shrink on load). Follows imgproxy's rules: the
/// requested box is scaled by DPR; `fit` fits inside it, `fill`/`fill-down` cover it and crop,
/// `force` stretches, `auto` picks `fill` when the orientations agree; never larger than the
/// source unless `enlarge`; min-width/min-height win over the box; zoom multiplies the scale.
public struct ResizePlan: Sendable, Equatable {
    /// Size after scaling, before the result crop.
    public var scaledWidth: Int
    public var scaledHeight: Int
    /// Size after the `fill` crop (equal to the scaled size when there is none).
    public var cropWidth: Int
    public var cropHeight: Int
    /// Canvas after `extend` (equal to the crop size when there is none).
    public var canvasWidth: Int
    public var canvasHeight: Int

    public var needsCrop: Bool { cropWidth != scaledWidth || cropHeight != scaledHeight }
    public var needsExtend: Bool { canvasWidth != cropWidth || canvasHeight != cropHeight }

    public init(sourceWidth: Int, sourceHeight: Int, options: ImageOptions) {
        let srcW = Double(max(1, sourceWidth)), srcH = Double(max(1, sourceHeight))
        let dpr = max(1, options.dpr)
        let requestedW = Double(options.width) * dpr, requestedH = Double(options.height) * dpr
        let dstW = options.width == 0 ? srcW : requestedW
        let dstH = options.height == 0 ? srcH : requestedH
        var wShrink = dstW == srcW ? 1 : srcW / dstW
        var hShrink = dstH == srcH ? 1 : srcH / dstH

        let type = Self.resolvedType(options.resizingType, srcW: srcW, srcH: srcH, dstW: dstW, dstH: dstH)
        if wShrink != 1 || hShrink != 1 {
            switch type {
            case _ where options.width == 0 && type != .force: wShrink = hShrink
            case _ where options.height == 0 && type != .force: hShrink = wShrink
            case .fit: wShrink = max(wShrink, hShrink); hShrink = wShrink
            case .fill, .fillDown: wShrink = min(wShrink, hShrink); hShrink = wShrink
            case .force, .auto: break
            }
        }
        wShrink /= options.zoomX
        hShrink /= options.zoomY
        if !options.enlarge {
            if wShrink < 1 { hShrink /= wShrink; wShrink = 1 }
            if hShrink < 1 { wShrink /= hShrink; hShrink = 1 }
        }
        if options.minWidth > 0 {
            let minShrink = srcW / (Double(options.minWidth) * dpr)
            if minShrink < wShrink { hShrink /= wShrink / minShrink; wShrink = minShrink }
        }
        if options.minHeight > 0 {
            let minShrink = srcH / (Double(options.minHeight) * dpr)
            if minShrink < hShrink { wShrink /= hShrink / minShrink; hShrink = minShrink }
        }
        wShrink = min(wShrink, srcW)
        hShrink = min(hShrink, srcH)
        scaledWidth = max(1, Int((srcW / wShrink).rounded()))
        scaledHeight = max(1, Int((srcH / hShrink).rounded()))

        cropWidth = scaledWidth
        cropHeight = scaledHeight
        if type == .fill || type == .fillDown {
            var boxW = options.width == 0 ? scaledWidth : Int(requestedW.rounded())
            var boxH = options.height == 0 ? scaledHeight : Int(requestedH.rounded())
            if type == .fillDown && !options.enlarge && boxW > 0 && boxH > 0 {
                // Smaller than asked: keep the requested aspect ratio inside what there is.
                let diffW = Double(boxW) / Double(scaledWidth), diffH = Double(boxH) / Double(scaledHeight)
                if diffW > diffH && diffW > 1 {
                    boxH = max(1, Int((Double(scaledWidth) * Double(boxH) / Double(boxW)).rounded()))
                    boxW = scaledWidth
                } else if diffH > diffW && diffH > 1 {
                    boxW = max(1, Int((Double(scaledHeight) * Double(boxW) / Double(boxH)).rounded()))
                    boxH = scaledHeight
                }
            }
            cropWidth = min(boxW, scaledWidth)
            cropHeight = min(boxH, scaledHeight)
        }
        canvasWidth = cropWidth
        canvasHeight = cropHeight
        if options.extend != nil {
            if options.width > 0 { canvasWidth = max(cropWidth, Int(requestedW.rounded())) }
            if options.height > 0 { canvasHeight = max(cropHeight, Int(requestedH.rounded())) }
        }
    }

    static func resolvedType(_ type: ResizingType, srcW: Double, srcH: Double, dstW: Double, dstH: Double) -> ResizingType {
        guard type == .auto else { return type }
        let sourceLandscape = srcW - srcH >= 0, targetLandscape = dstW - dstH >= 0
        return sourceLandscape == targetLandscape ? .fill : .fit
    }
}

/// Where an inner box of `innerWidth`×`innerHeight` sits inside `width`×`height` for a compass
/// gravity (with pixel offsets) or a focus point (fractions); clamped inside unless `overflow`.
public func gravityPosition(
    width: Int, height: Int, innerWidth: Int, innerHeight: Int, gravity: Gravity, dpr: Double = 1,
    overflow: Bool = false
) -> (left: Int, top: Int) {
    var left: Int, top: Int
    switch gravity.type {
    case .focusPoint:
        left = Int((Double(width) * gravity.x).rounded()) - innerWidth / 2
        top = Int((Double(height) * gravity.y).rounded()) - innerHeight / 2
    default:
        let offX = Int((gravity.x * dpr).rounded()), offY = Int((gravity.y * dpr).rounded())
        left = (width - innerWidth + 1) / 2 + offX
        top = (height - innerHeight + 1) / 2 + offY
        switch gravity.type {
        case .north, .northEast, .northWest: top = offY
        case .south, .southEast, .southWest: top = height - innerHeight - offY
        default: break
        }
        switch gravity.type {
        case .east, .northEast, .southEast: left = width - innerWidth - offX
        case .west, .northWest, .southWest: left = offX
        default: break
        }
    }
    let (minX, maxX, minY, maxY) =
        overflow
        ? (-innerWidth + 1, width - 1, -innerHeight + 1, height - 1)
        : (0, width - innerWidth, 0, height - innerHeight)
    left = max(minX, min(left, maxX))
    top = max(minY, min(top, maxY))
    return (left, top)
}
