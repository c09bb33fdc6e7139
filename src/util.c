/* util: allocation, buffers, vectors, file I/O and dates. See util.h. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <utf8proc.h>
#include <unistd.h>

static void oom(size_t n) {
  fprintf(stderr, "shinsa: fatal: out of memory (%zu bytes)\n", n);
  abort();
}

void *sh_malloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) oom(n);
  return p;
}

void *sh_calloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) oom(n * size);
  return p;
}

void *sh_realloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) oom(n);
  return q;
}

char *sh_strdup(const char *s) {
  if (!s) return NULL;
  return sh_strndup(s, strlen(s));
}

char *sh_strndup(const char *s, size_t n) {
  char *p = sh_malloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *sh_printf(const char *fmt, ...) {
  sh_buf b = {0};
  va_list ap;
  va_start(ap, fmt);
  sh_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  return sh_buf_steal(&b);
}

void sh_buf_init(sh_buf *b) { memset(b, 0, sizeof *b); }

void sh_buf_free(sh_buf *b) {
  free(b->data);
  memset(b, 0, sizeof *b);
}

void sh_buf_clear(sh_buf *b) {
  b->len = 0;
  if (b->data) b->data[0] = '\0';
}

static void buf_reserve(sh_buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + extra + 1) cap *= 2;
  b->data = sh_realloc(b->data, cap);
  b->cap = cap;
}

void sh_buf_put(sh_buf *b, const char *s, size_t n) {
  buf_reserve(b, n);
  if (n) memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void sh_buf_puts(sh_buf *b, const char *s) { sh_buf_put(b, s, strlen(s)); }

void sh_buf_putc(sh_buf *b, char c) { sh_buf_put(b, &c, 1); }

void sh_buf_vprintf(sh_buf *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0) return;
  buf_reserve(b, (size_t)n);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
}

void sh_buf_printf(sh_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sh_buf_vprintf(b, fmt, ap);
  va_end(ap);
}

char *sh_buf_steal(sh_buf *b) {
  char *s = b->data ? b->data : sh_strdup("");
  memset(b, 0, sizeof *b);
  return s;
}

const char *sh_buf_str(const sh_buf *b) { return b->data ? b->data : ""; }

void sh_vec_push(sh_vec *vec, void *p) {
  if (vec->n == vec->cap) {
    vec->cap = vec->cap ? vec->cap * 2 : 8;
    vec->v = sh_realloc(vec->v, vec->cap * sizeof *vec->v);
  }
  vec->v[vec->n++] = p;
}

void sh_vec_free(sh_vec *vec) {
  free(vec->v);
  memset(vec, 0, sizeof *vec);
}

void sh_vec_free_all(sh_vec *vec, void (*fn)(void *)) {
  for (size_t i = 0; i < vec->n; i++) fn(vec->v[i]);
  sh_vec_free(vec);
}

/* Days from civil, after Howard Hinnant's algorithm. */
static int32_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int32_t)doe - 719468;
}

static void civil_from_days(int32_t z, int *y, unsigned *m, unsigned *d) {
  z += 719468;
  const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = (unsigned)(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int32_t yy = (int32_t)yoe + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int)(yy + (*m <= 2));
}

static bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool sh_date_parse(const char *s, sh_date *out) {
  if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i = 0; i < 10; i++) {
    if (i == 4 || i == 7) continue;
    if (s[i] < '0' || s[i] > '9') return false;
  }
  int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
  unsigned d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
  static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
  unsigned maxd = mdays[m - 1] + (m == 2 && is_leap(y));
  if (d > maxd) return false;
  *out = days_from_civil(y, m, d);
  return true;
}

void sh_date_format(sh_date dt, char buf[11]) {
  int y;
  unsigned m, d;
  civil_from_days(dt, &y, &m, &d);
  char tmp[32];
  snprintf(tmp, sizeof tmp, "%04d-%02u-%02u", y % 10000, m % 100, d % 100);
  memcpy(buf, tmp, 10);
  buf[10] = '\0';
}

sh_date sh_date_today(void) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  return days_from_civil(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday);
}

bool sh_streq(const char *a, const char *b) {
  if (!a || !b) return a == b;
  return strcmp(a, b) == 0;
}

bool sh_str_startswith(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

char *sh_path_join(const char *dir, const char *name) {
  size_t n = strlen(dir);
  if (n == 0) return sh_strdup(name);
  if (dir[n - 1] == '/') return sh_printf("%s%s", dir, name);
  return sh_printf("%s/%s", dir, name);
}

char *sh_path_dirname(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return sh_strdup(".");
  if (slash == path) return sh_strdup("/");
  return sh_strndup(path, (size_t)(slash - path));
}

static uint64_t str_hash(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static void strmap_grow(sh_strmap *m) {
  size_t ncap = m->cap ? m->cap * 2 : 16;
  char **nk = sh_calloc(ncap, sizeof *nk);
  void **nv = sh_calloc(ncap, sizeof *nv);
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->keys[i]) continue;
    size_t j = str_hash(m->keys[i]) & (ncap - 1);
    while (nk[j]) j = (j + 1) & (ncap - 1);
    nk[j] = m->keys[i];
    nv[j] = m->vals[i];
  }
  free(m->keys);
  free(m->vals);
  m->keys = nk;
  m->vals = nv;
  m->cap = ncap;
}

void sh_strmap_put(sh_strmap *m, const char *key, void *val) {
  if ((m->n + 1) * 2 > m->cap) strmap_grow(m);
  size_t j = str_hash(key) & (m->cap - 1);
  while (m->keys[j]) {
    if (strcmp(m->keys[j], key) == 0) {
      m->vals[j] = val;
      return;
    }
    j = (j + 1) & (m->cap - 1);
  }
  m->keys[j] = sh_strdup(key);
  m->vals[j] = val;
  m->n++;
}

void *sh_strmap_get(const sh_strmap *m, const char *key) {
  if (!m->cap) return NULL;
  size_t j = str_hash(key) & (m->cap - 1);
  while (m->keys[j]) {
    if (strcmp(m->keys[j], key) == 0) return m->vals[j];
    j = (j + 1) & (m->cap - 1);
  }
  return NULL;
}

void sh_strmap_free(sh_strmap *m) {
  for (size_t i = 0; i < m->cap; i++) free(m->keys[i]);
  free(m->keys);
  free(m->vals);
  memset(m, 0, sizeof *m);
}

size_t sh_edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 64 || lb > 64) return 99;
  size_t prev[65], cur[65];
  for (size_t j = 0; j <= lb; j++) prev[j] = j;
  for (size_t i = 1; i <= la; i++) {
    cur[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
      size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
    }
    memcpy(prev, cur, sizeof prev);
  }
  return prev[lb];
}

void sh_nearest(const char *name, const char *candidate, const char **best, size_t *best_dist) {
  if (!*best) *best_dist = 4;
  size_t dd = sh_edit_distance(name, candidate);
  if (dd < *best_dist) *best_dist = dd, *best = candidate;
}

bool sh_utf8_valid(const char *s, size_t n, size_t *bad) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
    if (k <= 0 || cp < 0) {
      if (bad) *bad = i;
      return false;
    }
    i += (size_t)k;
  }
  return true;
}

void sh_utf8_locate(const char *s, size_t off, int *line, int *col) {
  int l = 1, c = 1;
  for (size_t i = 0; i < off && s[i]; i++) {
    if (s[i] == '\n') l++, c = 1;
    else if (((unsigned char)s[i] & 0xC0) != 0x80) c++;
  }
  *line = l;
  *col = c;
}

void sh_buf_put_utf8(sh_buf *b, const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    size_t bad;
    if (sh_utf8_valid(s + i, n - i, &bad)) {
      sh_buf_put(b, s + i, n - i);
      return;
    }
    sh_buf_put(b, s + i, bad);
    sh_buf_puts(b, "\xEF\xBF\xBD");
    i += bad + 1;
    while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80) i++; /* the rest of the broken sequence */
  }
}

void sh_term_clean(sh_buf *b, const char *s) {
  if (!s) return;
  size_t n = strlen(s), i = 0;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
      if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) sh_buf_printf(b, "\\x%02x", c);
      else sh_buf_putc(b, (char)c);
      i++;
      continue;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
    if (k <= 0 || cp < 0) {
      sh_buf_printf(b, "\\x%02x", c); /* a raw C1 byte (0x9b = CSI in 8-bit terminals) or broken UTF-8 */
      i++;
      continue;
    }
    if (cp >= 0x80 && cp <= 0x9F) sh_buf_printf(b, "\\u%04x", (unsigned)cp);
    else sh_buf_put(b, s + i, (size_t)k);
    i += (size_t)k;
  }
}

char *sh_term_cleaned(const char *s) {
  sh_buf b = {0};
  sh_term_clean(&b, s);
  return sh_buf_steal(&b);
}

int sh_term_fputs(const char *s, FILE *f) {
  if (!isatty(fileno(f))) return fputs(s, f);
  char *c = sh_term_cleaned(s);
  int rc = fputs(c, f);
  free(c);
  return rc;
}

int sh_term_printf(FILE *f, const char *fmt, ...) {
  sh_buf b = {0};
  va_list ap;
  va_start(ap, fmt);
  sh_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  int rc = sh_term_fputs(sh_buf_str(&b), f);
  sh_buf_free(&b);
  return rc;
}
