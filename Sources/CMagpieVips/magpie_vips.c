#include "magpie_vips.h"

#include <string.h>
#include <vips/vips.h>

int mv_init(int concurrency) {
    if (VIPS_INIT("magpie")) return -1;
    vips_concurrency_set(concurrency);
    // Loaders that can reach files or the network (SVG, PDF, ImageMagick, …) stay off.
    vips_block_untrusted_set(TRUE);
    // Results are cached by Magpie; libvips' operation cache would only hold memory.
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_cache_set_max_files(0);
    return 0;
}

char *mv_error(void) { return vips_error_buffer_copy(); }
void mv_unref(VipsImage *image) { if (image) g_object_unref(image); }
void mv_free(void *pointer) { g_free(pointer); }

int mv_open(const void *buf, size_t len, int all_pages, int sequential, VipsImage **out) {
    VipsAccess access = sequential ? VIPS_ACCESS_SEQUENTIAL : VIPS_ACCESS_RANDOM;
    if (all_pages)
        *out = vips_image_new_from_buffer(buf, len, "", "access", access, "n", -1, NULL);
    else
        *out = vips_image_new_from_buffer(buf, len, "", "access", access, NULL);
    return *out ? 0 : -1;
}

int mv_width(VipsImage *image) { return vips_image_get_width(image); }
int mv_height(VipsImage *image) { return vips_image_get_height(image); }
int mv_bands(VipsImage *image) { return vips_image_get_bands(image); }
int mv_has_alpha(VipsImage *image) { return vips_image_hasalpha(image); }
int mv_n_pages(VipsImage *image) { return vips_image_get_n_pages(image); }
int mv_page_height(VipsImage *image) { return vips_image_get_page_height(image); }
int mv_has_icc(VipsImage *image) { return vips_image_get_typeof(image, VIPS_META_ICC_NAME) != 0; }

int mv_orientation(VipsImage *image) {
    int orientation = 1;
    if (vips_image_get_typeof(image, VIPS_META_ORIENTATION) &&
        vips_image_get_int(image, VIPS_META_ORIENTATION, &orientation) == 0 &&
        orientation >= 1 && orientation <= 8)
        return orientation;
    return 1;
}

const char *mv_loader(VipsImage *image) {
    const char *loader = NULL;
    if (vips_image_get_typeof(image, VIPS_META_LOADER) && vips_image_get_string(image, VIPS_META_LOADER, &loader) == 0)
        return loader;
    return NULL;
}

const char *mv_interpretation(VipsImage *image) {
    return vips_enum_nick(VIPS_TYPE_INTERPRETATION, vips_image_get_interpretation(image));
}

int mv_set_page_height(VipsImage *image, int page_height) {
    vips_image_set_int(image, VIPS_META_PAGE_HEIGHT, page_height);
    return 0;
}

int mv_thumbnail_buffer(const void *buf, size_t len, int width, int height, int crop,
                        int no_rotate, int all_pages, int icc, VipsImage **out) {
    return vips_thumbnail_buffer((void *)buf, len, out, width,
                                 "height", height,
                                 "size", VIPS_SIZE_FORCE,
                                 "crop", crop,
                                 "no_rotate", no_rotate,
                                 "option_string", all_pages ? "n=-1" : "",
                                 "export_profile", icc ? "srgb" : NULL,
                                 NULL);
}

int mv_thumbnail_image(VipsImage *in, int width, int height, int crop, int no_rotate, int icc,
                       VipsImage **out) {
    return vips_thumbnail_image(in, out, width,
                                "height", height,
                                "size", VIPS_SIZE_FORCE,
                                "crop", crop,
                                "no_rotate", no_rotate,
                                "export_profile", icc ? "srgb" : NULL,
                                NULL);
}

int mv_autorot(VipsImage *in, VipsImage **out) { return vips_autorot(in, out, NULL); }

int mv_to_srgb(VipsImage *in, VipsImage **out) {
    if (vips_image_get_typeof(in, VIPS_META_ICC_NAME))
        return vips_icc_transform(in, out, "srgb", "embedded", TRUE, "intent", VIPS_INTENT_PERCEPTUAL, NULL);
    return vips_colourspace(in, out, VIPS_INTERPRETATION_sRGB, NULL);
}

int mv_colourspace_srgb(VipsImage *in, VipsImage **out) {
    return vips_colourspace(in, out, VIPS_INTERPRETATION_sRGB, NULL);
}

int mv_copy_memory(VipsImage *in, VipsImage **out) {
    *out = vips_image_copy_memory(in);
    return *out ? 0 : -1;
}

int mv_extract_area(VipsImage *in, int left, int top, int width, int height, VipsImage **out) {
    return vips_extract_area(in, out, left, top, width, height, NULL);
}

int mv_smartcrop(VipsImage *in, int width, int height, int interesting, VipsImage **out) {
    return vips_smartcrop(in, out, width, height, "interesting", interesting, NULL);
}

int mv_find_trim(VipsImage *in, double threshold, const double *background, int n,
                 int *left, int *top, int *width, int *height) {
    int result;
    if (background && n > 0) {
        VipsArrayDouble *array = vips_array_double_new(background, n);
        result = vips_find_trim(in, left, top, width, height, "threshold", threshold, "background", array, NULL);
        vips_area_unref(VIPS_AREA(array));
    } else {
        result = vips_find_trim(in, left, top, width, height, "threshold", threshold, NULL);
    }
    return result;
}

int mv_rot(VipsImage *in, int angle, VipsImage **out) {
    VipsAngle a = angle == 90 ? VIPS_ANGLE_D90 : angle == 180 ? VIPS_ANGLE_D180 : angle == 270 ? VIPS_ANGLE_D270 : VIPS_ANGLE_D0;
    return vips_rot(in, out, a, NULL);
}

int mv_rotate(VipsImage *in, double angle, const double *background, int n, VipsImage **out) {
    VipsArrayDouble *array = vips_array_double_new(background, n);
    int result = vips_rotate(in, out, angle, "background", array, NULL);
    vips_area_unref(VIPS_AREA(array));
    return result;
}

int mv_flip(VipsImage *in, int horizontal, VipsImage **out) {
    return vips_flip(in, out, horizontal ? VIPS_DIRECTION_HORIZONTAL : VIPS_DIRECTION_VERTICAL, NULL);
}

int mv_embed(VipsImage *in, int x, int y, int width, int height, const double *background, int n,
             VipsImage **out) {
    VipsArrayDouble *array = vips_array_double_new(background, n);
    int result = vips_embed(in, out, x, y, width, height, "extend", VIPS_EXTEND_BACKGROUND, "background", array, NULL);
    vips_area_unref(VIPS_AREA(array));
    return result;
}

int mv_gaussblur(VipsImage *in, double sigma, VipsImage **out) {
    VipsImage *blurred = NULL;
    if (vips_gaussblur(in, &blurred, sigma, NULL)) return -1;
    int result = vips_cast(blurred, out, vips_image_get_format(in), NULL);
    g_object_unref(blurred);
    return result;
}

int mv_sharpen(VipsImage *in, double sigma, VipsImage **out) {
    VipsImage *sharpened = NULL;
    if (vips_sharpen(in, &sharpened, "sigma", sigma, NULL)) return -1;
    // sharpen works in LabS; bring it back to sRGB bytes.
    int result = vips_colourspace(sharpened, out, VIPS_INTERPRETATION_sRGB, NULL);
    g_object_unref(sharpened);
    return result;
}

int mv_pixelate(VipsImage *in, int size, VipsImage **out) {
    // An exact grid from the top-left corner: pad to a multiple of the block size by repeating
    // the edge, average each block, blow the blocks up again, cut back to the original size.
    int width = vips_image_get_width(in), height = vips_image_get_height(in);
    int padded_w = (width + size - 1) / size * size, padded_h = (height + size - 1) / size * size;
    VipsImage *padded = NULL, *small = NULL, *big = NULL;
    if (vips_embed(in, &padded, 0, 0, padded_w, padded_h, "extend", VIPS_EXTEND_COPY, NULL)) return -1;
    int result = vips_shrink(padded, &small, size, size, NULL);
    if (result == 0) result = vips_zoom(small, &big, size, size, NULL);
    if (result == 0) result = vips_extract_area(big, out, 0, 0, width, height, NULL);
    if (padded) g_object_unref(padded);
    if (small) g_object_unref(small);
    if (big) g_object_unref(big);
    return result;
}

int mv_flatten(VipsImage *in, double red, double green, double blue, VipsImage **out) {
    double bg[3] = {red, green, blue};
    VipsArrayDouble *array = vips_array_double_new(bg, 3);
    int result = vips_flatten(in, out, "background", array, NULL);
    vips_area_unref(VIPS_AREA(array));
    return result;
}

int mv_add_alpha(VipsImage *in, VipsImage **out) { return vips_addalpha(in, out, NULL); }

int mv_fade(VipsImage *in, double opacity, VipsImage **out) {
    VipsImage *with_alpha = NULL;
    if (vips_image_hasalpha(in)) {
        with_alpha = in;
        g_object_ref(in);
    } else if (vips_addalpha(in, &with_alpha, NULL)) {
        return -1;
    }
    int bands = vips_image_get_bands(with_alpha);
    double a[8], b[8];
    for (int i = 0; i < bands && i < 8; i++) { a[i] = 1; b[i] = 0; }
    a[bands - 1] = opacity;
    int result = vips_linear(with_alpha, out, a, b, bands, "uchar", TRUE, NULL);
    g_object_unref(with_alpha);
    return result;
}

int mv_replicate(VipsImage *in, int across, int down, VipsImage **out) {
    return vips_replicate(in, out, across, down, NULL);
}

int mv_composite(VipsImage *base, VipsImage *overlay, int x, int y, VipsImage **out) {
    return vips_composite2(base, overlay, out, VIPS_BLEND_MODE_OVER, "x", x, "y", y, NULL);
}

int mv_resize(VipsImage *in, double hscale, double vscale, VipsImage **out) {
    return vips_resize(in, out, hscale, "vscale", vscale, NULL);
}

int mv_cast_uchar(VipsImage *in, VipsImage **out) { return vips_cast(in, out, VIPS_FORMAT_UCHAR, NULL); }

int mv_join_pages(VipsImage **images, int n, VipsImage **out) {
    VipsImage *joined = NULL;
    if (vips_arrayjoin(images, &joined, n, "across", 1, NULL)) return -1;
    if (vips_copy(joined, out, NULL)) {
        g_object_unref(joined);
        return -1;
    }
    g_object_unref(joined);
    vips_image_set_int(*out, VIPS_META_PAGE_HEIGHT, vips_image_get_height(images[0]));
    return 0;
}

static int is_metadata_field(const char *name) {
    return g_str_has_prefix(name, "exif-") || g_str_has_prefix(name, "xmp-") ||
           g_str_has_prefix(name, "iptc-") || strcmp(name, VIPS_META_ICC_NAME) == 0 ||
           strcmp(name, VIPS_META_ORIENTATION) == 0 || g_str_has_prefix(name, "png-comment") ||
           strcmp(name, "gif-comment") == 0 || strcmp(name, "jpeg-thumbnail-data") == 0 ||
           g_str_has_prefix(name, "heif-") || strcmp(name, VIPS_META_IMAGEDESCRIPTION) == 0;
}

int mv_strip_metadata(VipsImage *in, VipsImage **out) {
    if (vips_copy(in, out, NULL)) return -1;
    gchar **fields = vips_image_get_fields(*out);
    for (int i = 0; fields[i]; i++)
        if (is_metadata_field(fields[i])) vips_image_remove(*out, fields[i]);
    g_strfreev(fields);
    return 0;
}

static void mv_eval(VipsImage *image, VipsProgress *progress, void *user) {
    (void)progress;
    gint64 deadline = (gint64)(intptr_t)user;
    if (g_get_monotonic_time() > deadline) vips_image_set_kill(image, TRUE);
}

void mv_set_deadline(VipsImage *image, int64_t deadline_us) {
    vips_image_set_progress(image, TRUE);
    g_signal_connect(image, "eval", G_CALLBACK(mv_eval), (void *)(intptr_t)deadline_us);
}

int64_t mv_monotonic_us(void) { return g_get_monotonic_time(); }

int mv_jpegsave(VipsImage *in, int quality, int interlace, int strip, void **buf, size_t *len) {
    return vips_jpegsave_buffer(in, buf, len, "Q", quality, "interlace", interlace, "strip", strip,
                                "optimize_coding", TRUE, NULL);
}

int mv_pngsave(VipsImage *in, int interlace, int strip, void **buf, size_t *len) {
    return vips_pngsave_buffer(in, buf, len, "interlace", interlace, "strip", strip, NULL);
}

int mv_webpsave(VipsImage *in, int quality, int effort, int strip, void **buf, size_t *len) {
    return vips_webpsave_buffer(in, buf, len, "Q", quality, "effort", effort, "strip", strip, NULL);
}

int mv_avifsave(VipsImage *in, int quality, int effort, int strip, void **buf, size_t *len) {
    return vips_heifsave_buffer(in, buf, len, "Q", quality, "effort", effort,
                                "compression", VIPS_FOREIGN_HEIF_COMPRESSION_AV1, "strip", strip, NULL);
}

int mv_gifsave(VipsImage *in, int interlace, int strip, void **buf, size_t *len) {
    return vips_gifsave_buffer(in, buf, len, "interlace", interlace, "strip", strip, NULL);
}

void *mv_pixels(VipsImage *in, size_t *len) { return vips_image_write_to_memory(in, len); }

int mv_from_pixels(const void *pixels, int width, int height, int bands, VipsImage **out) {
    VipsImage *image = vips_image_new_from_memory_copy(pixels, (size_t)width * height * bands, width, height, bands, VIPS_FORMAT_UCHAR);
    if (!image) return -1;
    image->Type = bands >= 3 ? VIPS_INTERPRETATION_sRGB : VIPS_INTERPRETATION_B_W;
    *out = image;
    return 0;
}
