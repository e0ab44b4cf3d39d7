extension GravityType {
    /// The compass points and centre: allowed everywhere a gravity is.
    static let compass: Set<GravityType> = [.north, .south, .east, .west, .northEast, .northWest, .southEast, .southWest, .center]
    /// `gravity` and `crop`: compass, smart, entropy (a Magpie extension) and focus point.
    static let forCrop: Set<GravityType> = compass.union([.smart, .entropy, .focusPoint])
    /// `extend`: compass and focus point (imgproxy refuses `sm` here).
    static let forExtend: Set<GravityType> = compass.union([.focusPoint])
}

extension Gravity {
    /// imgproxy's `%type:%x_offset:%y_offset`.
    ///
    /// `sm` and `en` take no offsets; `fp` takes exactly two, each 0…1; compass types take up to
    /// two offsets (absolute when ≥ 1, relative below). Offsets left out are 0: unlike imgproxy, a
    /// later `g:so` does not inherit the offsets of an earlier `g:no:10:10`, so one URL option
    /// always means the same thing whatever came before it.
    static func parse(_ args: ArraySlice<String>, option: String, allowed: Set<GravityType>) throws(ImageURLError) -> Gravity {
        guard let first = args.first else { throw .invalidOption(option, "missing gravity type") }
        guard let type = GravityType(rawValue: first), allowed.contains(type) else {
            throw .invalidOption(option, "unsupported gravity type \(OptionArguments.quoted(first))")
        }
        let offsets = Array(args.dropFirst())
        switch type {
        case .smart, .entropy:
            guard offsets.isEmpty else { throw .invalidOption(option, "gravity \(first) takes no offsets") }
            return Gravity(type)
        case .focusPoint:
            guard offsets.count == 2 else { throw .invalidOption(option, "gravity fp takes exactly two coordinates") }
            return Gravity(type, x: try OptionArguments.fraction(offsets[0], option), y: try OptionArguments.fraction(offsets[1], option))
        default:
            guard offsets.count <= 2 else { throw .invalidOption(option, "gravity \(first) takes at most two offsets") }
            let x = offsets.count > 0 ? try OptionArguments.double(offsets[0], option) : 0
            let y = offsets.count > 1 ? try OptionArguments.double(offsets[1], option) : 0
            return Gravity(type, x: x, y: y)
        }
    }
}
