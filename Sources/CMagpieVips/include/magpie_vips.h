// Fixed-arity wrappers around libvips' varargs API, which Swift cannot call directly.
// Every function returns 0 on success and -1 on failure (the message is in mv_error()).
// Images returned through `out` are new references the caller must release with mv_unref().
#ifndef MAGPIE_VIPS_H
#define MAGPIE_VIPS_H

#include <stddef.h>
#include <stdint.h>

typedef struct _VipsImage VipsImage;

int mv_init(int concurrency);
/// The accumulated libvips error text (a copy the caller frees with mv_free), and clears it.
char *mv_error(void);
void mv_unref(VipsImage *image);
void mv_free(void *pointer);

/// Opens the image lazily (header only until pixels are needed). `all_pages` loads every frame
/// of an animated GIF/WebP stacked vertically (only for loaders that take `n`); `sequential`
/// streams top to bottom (enough for one pass), otherwise pixels can be read in any order.
int mv_open(const void *buf, size_t len, int all_pages, int sequential, VipsImage **out);

int mv_width(VipsImage *image);
int mv_height(VipsImage *image);
int mv_bands(VipsImage *image);
int mv_has_alpha(VipsImage *image);
/// Frames stacked in the image (1 when not animated).
int mv_n_pages(VipsImage *image);
/// Height of one frame (the full height when not animated).
int mv_page_height(VipsImage *image);
/// EXIF orientation 1…8 (1 when absent).
int mv_orientation(VipsImage *image);
/// Loader nickname ("jpegload_buffer", …) or NULL. Not to be freed.
const char *mv_loader(VipsImage *image);
/// Interpretation nickname ("srgb", "b-w", "cmyk", …). Not to be freed.
const char *mv_interpretation(VipsImage *image);
int mv_has_icc(VipsImage *image);
int mv_set_page_height(VipsImage *image, int page_height);

/// Shrink-on-load resize to exactly width×height (size FORCE), honouring the ICC profile and
/// converting to sRGB; `crop` is a VipsInteresting (0 none) and then width×height is the box.
/// `icc`: transform through the embedded ICC profile to sRGB (set when the source has one).
int mv_thumbnail_buffer(const void *buf, size_t len, int width, int height, int crop,
                        int no_rotate, int all_pages, int icc, VipsImage **out);
/// The same on an already-open image (after a crop or trim).
int mv_thumbnail_image(VipsImage *in, int width, int height, int crop, int no_rotate, int icc,
                       VipsImage **out);

int mv_autorot(VipsImage *in, VipsImage **out);
int mv_to_srgb(VipsImage *in, VipsImage **out);
/// Plain colourspace conversion to sRGB (grey and CMYK-less images; no ICC work).
int mv_colourspace_srgb(VipsImage *in, VipsImage **out);
/// Renders the image into memory now (so encoding can be timed on its own).
int mv_copy_memory(VipsImage *in, VipsImage **out);
int mv_extract_area(VipsImage *in, int left, int top, int width, int height, VipsImage **out);
/// `interesting`: VIPS_INTERESTING_ENTROPY = 2, ATTENTION = 3.
int mv_smartcrop(VipsImage *in, int width, int height, int interesting, VipsImage **out);
int mv_find_trim(VipsImage *in, double threshold, const double *background, int n,
                 int *left, int *top, int *width, int *height);
/// Rotation by a multiple of 90 degrees (`angle` 90, 180 or 270).
int mv_rot(VipsImage *in, int angle, VipsImage **out);
/// Any angle, the uncovered corners filled with `background` (n values).
int mv_rotate(VipsImage *in, double angle, const double *background, int n, VipsImage **out);
/// `horizontal` 1: mirror left-right; 0: top-bottom.
int mv_flip(VipsImage *in, int horizontal, VipsImage **out);
/// Place `in` at (x, y) on a width×height canvas of `background` (n values).
int mv_embed(VipsImage *in, int x, int y, int width, int height, const double *background, int n,
             VipsImage **out);
int mv_gaussblur(VipsImage *in, double sigma, VipsImage **out);
int mv_sharpen(VipsImage *in, double sigma, VipsImage **out);
/// Blocks of `size` pixels (nearest-neighbour down and up again).
int mv_pixelate(VipsImage *in, int size, VipsImage **out);
int mv_flatten(VipsImage *in, double red, double green, double blue, VipsImage **out);
int mv_add_alpha(VipsImage *in, VipsImage **out);
/// Multiplies the alpha band by `opacity` (adds an opaque alpha first when there is none).
int mv_fade(VipsImage *in, double opacity, VipsImage **out);
int mv_replicate(VipsImage *in, int across, int down, VipsImage **out);
/// `overlay` composited over `base` at (x, y) with the "over" blend mode.
int mv_composite(VipsImage *base, VipsImage *overlay, int x, int y, VipsImage **out);
int mv_resize(VipsImage *in, double hscale, double vscale, VipsImage **out);
int mv_cast_uchar(VipsImage *in, VipsImage **out);
/// Frames joined top to bottom (the animated layout); page-height set to the first's height.
int mv_join_pages(VipsImage **images, int n, VipsImage **out);

/// A private copy without EXIF, XMP, IPTC, ICC profile and orientation fields, whatever the
/// saver does with its own `strip` flag.
int mv_strip_metadata(VipsImage *in, VipsImage **out);

/// Kills evaluation of `image` once the monotonic clock passes `deadline_us`.
void mv_set_deadline(VipsImage *image, int64_t deadline_us);
/// g_get_monotonic_time(): the clock mv_set_deadline compares with.
int64_t mv_monotonic_us(void);

/// Savers; `strip` drops metadata where the saver honours it (libvips 8.14's WebP saver does
/// not: its output is cleaned afterwards).
int mv_jpegsave(VipsImage *in, int quality, int interlace, int strip, void **buf, size_t *len);
int mv_pngsave(VipsImage *in, int interlace, int strip, void **buf, size_t *len);
int mv_webpsave(VipsImage *in, int quality, int effort, int strip, void **buf, size_t *len);
int mv_avifsave(VipsImage *in, int quality, int effort, int strip, void **buf, size_t *len);
int mv_gifsave(VipsImage *in, int interlace, int strip, void **buf, size_t *len);

/// An image from uncompressed uchar pixels (copied), `bands` per pixel, sRGB.
int mv_from_pixels(const void *pixels, int width, int height, int bands, VipsImage **out);

/// Uncompressed pixels (bands × width × height bytes for uchar images), freed with mv_free.
void *mv_pixels(VipsImage *in, size_t *len);

#endif
