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
