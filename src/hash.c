/* hash: SHA-256 with libcrypto's EVP interface. See hash.h. */
#include "hash.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"

static void to_hex(const unsigned char *md, unsigned n, char out[65]) {
  static const char hx[] = "0123456789abcdef";
  for (unsigned i = 0; i < n && i < 32; i++) {
    out[2 * i] = hx[md[i] >> 4];
    out[2 * i + 1] = hx[md[i] & 15];
  }
  out[64] = '\0';
}

void sh_sha256_hex(const void *data, size_t len, char out[65]) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned n = 0;
  EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
  to_hex(md, n, out);
}

int sh_sha256_fd(int fd, size_t max_bytes, char out[65]) {
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
  unsigned char buf[65536];
  size_t total = 0;
  int rc = 0;
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      rc = -1;
      break;
    }
    if (n == 0) break;
    total += (size_t)n;
    if (total > max_bytes) {
      errno = EFBIG;
      rc = -1;
      break;
    }
    EVP_DigestUpdate(ctx, buf, (size_t)n);
  }
  if (rc == 0) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    EVP_DigestFinal_ex(ctx, md, &mdlen);
    to_hex(md, mdlen, out);
  }
  EVP_MD_CTX_free(ctx);
  return rc;
}

int sh_sha256_file(const char *path, size_t max_bytes, char out[65]) {
  int fd = sh_open_input(path, 0);
  if (fd < 0) return -1;
  int rc = sh_sha256_fd(fd, max_bytes, out);
  int e = errno;
  close(fd);
  errno = e;
  return rc;
}

int sh_sha256_valid(const char *s) {
  if (!s || strlen(s) != 64) return 0;
  for (int i = 0; i < 64; i++) {
    char c = s[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return 0;
  }
  return 1;
}
