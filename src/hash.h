/* hash: SHA-256 digests (through OpenSSL's libcrypto) of memory and of files, as lower-case hex,
 * with a size limit for files. */
#ifndef SHINSA_HASH_H
#define SHINSA_HASH_H

#include <stddef.h>

/* Writes the hex digest of data into out (64 hex digits and a NUL). */
void sh_sha256_hex(const void *data, size_t len, char out[65]);
/* Hashes what is left to read on fd by streaming it (does not close it). Returns 0, or -1 with errno set
 * (EFBIG past max_bytes). */
int sh_sha256_fd(int fd, size_t max_bytes, char out[65]);
/* Hashes a regular file opened with sh_open_input (fileio.h). Returns 0, or -1 with errno set (EFBIG past
 * max_bytes, EISDIR / EINVAL when not a regular file). */
int sh_sha256_file(const char *path, size_t max_bytes, char out[65]);
/* True when s is exactly 64 hex digits (either case). */
int sh_sha256_valid(const char *s);

#endif
