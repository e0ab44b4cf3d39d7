#define _GNU_SOURCE
#include "CMagpieChecksum.h"
#include <errno.h>
#include <unistd.h>
#include <zlib.h>

/* GF(2) matrix method from zlib's crc32_combine, parameterised by the reflected polynomial. */
static uint32_t gf2_times(const uint32_t *mat, uint32_t vec) {
    uint32_t sum = 0;
    while (vec) {
        if (vec & 1) sum ^= *mat;
        vec >>= 1;
        mat++;
    }
    return sum;
}

static void gf2_square(uint32_t *square, const uint32_t *mat) {
    for (int n = 0; n < 32; n++) square[n] = gf2_times(mat, mat[n]);
}

static uint32_t crc_combine(uint32_t poly, uint32_t crc1, uint32_t crc2, uint64_t len2) {
    uint32_t even[32], odd[32];
    if (len2 == 0) return crc1;
    odd[0] = poly;
    uint32_t row = 1;
    for (int n = 1; n < 32; n++) {
        odd[n] = row;
        row <<= 1;
    }
    gf2_square(even, odd);
    gf2_square(odd, even);
    do {
        gf2_square(even, odd);
        if (len2 & 1) crc1 = gf2_times(even, crc1);
        len2 >>= 1;
        if (len2 == 0) break;
        gf2_square(odd, even);
        if (len2 & 1) crc1 = gf2_times(odd, crc1);
        len2 >>= 1;
    } while (len2 != 0);
    return crc1 ^ crc2;
}

uint32_t magpie_crc32c_combine(uint32_t crc_a, uint32_t crc_b, uint64_t length_b) {
    return crc_combine(0x82F63B78u, crc_a, crc_b, length_b);
}

uint32_t magpie_crc32_combine(uint32_t crc_a, uint32_t crc_b, uint64_t length_b) {
    return crc_combine(0xEDB88320u, crc_a, crc_b, length_b);
}

int magpie_copy_range(int in_fd, int64_t in_offset, int out_fd, int64_t length) {
    loff_t offset = in_offset;
    while (length > 0) {
        ssize_t n = copy_file_range(in_fd, &offset, out_fd, NULL, (size_t)(length > 0x40000000 ? 0x40000000 : length), 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP || errno == EINVAL) break;
            return errno;
        }
        if (n == 0) return EIO;
        length -= n;
    }
    /* Fallback: a bounded user-space buffer (different filesystems, old kernels). */
    char buffer[1 << 16];
    while (length > 0) {
        ssize_t want = length > (int64_t)sizeof buffer ? (ssize_t)sizeof buffer : (ssize_t)length;
        ssize_t got = pread(in_fd, buffer, (size_t)want, offset);
        if (got < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        if (got == 0) return EIO;
        ssize_t done = 0;
        while (done < got) {
            ssize_t w = write(out_fd, buffer + done, (size_t)(got - done));
            if (w < 0) {
                if (errno == EINTR) continue;
                return errno;
            }
            done += w;
        }
        offset += got;
        length -= got;
    }
    return 0;
}
