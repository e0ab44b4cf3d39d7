#ifndef CMAGPIE_CHECKSUM_H
#define CMAGPIE_CHECKSUM_H
#include <stddef.h>
#include <stdint.h>

/// CRC-32 (IEEE, as zlib and S3's x-amz-checksum-crc32), continuing from `crc` (0 to start).
uint32_t magpie_crc32(uint32_t crc, const uint8_t *data, size_t length);
/// CRC-32C (Castagnoli, as S3's x-amz-checksum-crc32c), continuing from `crc` (0 to start).
/// Uses the SSE4.2 instruction when the CPU has it.
uint32_t magpie_crc32c(uint32_t crc, const uint8_t *data, size_t length);

#endif

#ifndef CMAGPIE_CHECKSUM_COMBINE
#define CMAGPIE_CHECKSUM_COMBINE
/// CRC-32C of A‖B from crc(A), crc(B) and len(B), without the data (zlib's crc32_combine method).
uint32_t magpie_crc32c_combine(uint32_t crc_a, uint32_t crc_b, uint64_t length_b);
/// CRC-32 of A‖B, likewise (zlib's own).
uint32_t magpie_crc32_combine(uint32_t crc_a, uint32_t crc_b, uint64_t length_b);
/// Copies `length` bytes from `in_fd` at `in_offset` to the current position of `out_fd` in the kernel
/// (copy_file_range, falling back to pread/write). Returns 0 or an errno value.
int magpie_copy_range(int in_fd, int64_t in_offset, int out_fd, int64_t length);
#endif
