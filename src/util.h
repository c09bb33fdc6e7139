/* util: memory allocation that aborts on exhaustion, growable string buffers,
 * pointer vectors, string maps, calendar dates and UTF-8 checks.
 * Everything here is leaf code: no other shinsa module is used. */
#ifndef SHINSA_UTIL_H
#define SHINSA_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#if defined(__GNUC__)
#define SH_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define SH_PRINTF(a, b)
#endif


/* Allocation: on exhaustion these print a message and abort; they never return NULL. */
void *sh_malloc(size_t n);
void *sh_calloc(size_t n, size_t size);
void *sh_realloc(void *p, size_t n);
char *sh_strdup(const char *s);            /* NULL in, NULL out */
char *sh_strndup(const char *s, size_t n);
char *sh_printf(const char *fmt, ...) SH_PRINTF(1, 2); /* caller frees */

/* Growable NUL-terminated byte buffer. Zero-initialise or sh_buf_init(). */
typedef struct {
  char *data;
  size_t len, cap;
} sh_buf;

void sh_buf_init(sh_buf *b);
void sh_buf_free(sh_buf *b);
void sh_buf_clear(sh_buf *b);
void sh_buf_put(sh_buf *b, const char *s, size_t n);
void sh_buf_puts(sh_buf *b, const char *s);
void sh_buf_putc(sh_buf *b, char c);
void sh_buf_printf(sh_buf *b, const char *fmt, ...) SH_PRINTF(2, 3);
void sh_buf_vprintf(sh_buf *b, const char *fmt, va_list ap);
/* Returns the buffer's string and resets the buffer; caller frees. Never NULL. */
char *sh_buf_steal(sh_buf *b);
/* Always a valid C string, "" when empty. Owned by the buffer. */
const char *sh_buf_str(const sh_buf *b);

/* Vector of pointers. Does not own its elements unless the caller says so. */
typedef struct {
  void **v;
  size_t n, cap;
} sh_vec;

void sh_vec_push(sh_vec *vec, void *p);
void sh_vec_free(sh_vec *vec);                     /* frees the array only */
void sh_vec_free_all(sh_vec *vec, void (*fn)(void *)); /* calls fn on each element first */

/* Where a diagnostic (diag.h) points: usually the text that referred to the thing reported (the `path:` value of
 * evidence.yaml, the include line of a configuration file). file may be NULL (no position). Borrowed. */
typedef struct {
  const char *file;
  int line, col; /* 1-based; 0 = none */
} sh_loc;

/* File input and output (sh_read_file, sh_write_file_atomic, ...) live in fileio.h, included here for
 * the many modules that read files. */
#include "fileio.h"

/* Calendar dates as days since 1970-01-01 (proleptic Gregorian). */
typedef int32_t sh_date;
/* Parses exactly YYYY-MM-DD with a valid day of month. Returns true on success. */
bool sh_date_parse(const char *s, sh_date *out);
/* Writes YYYY-MM-DD into buf (at least 11 bytes). */
void sh_date_format(sh_date d, char buf[11]);
sh_date sh_date_today(void);

bool sh_streq(const char *a, const char *b); /* NULL-safe */
/* Levenshtein distance in bytes (99 when either string is longer than 64 bytes): for did-you-mean hints. */
size_t sh_edit_distance(const char *a, const char *b);
/* A did-you-mean helper: keep calling with candidates; *best holds the nearest one within distance 3. */
void sh_nearest(const char *name, const char *candidate, const char **best, size_t *best_dist);
bool sh_str_startswith(const char *s, const char *prefix);
/* Joins dir and name with a single '/'. Caller frees. */
char *sh_path_join(const char *dir, const char *name);
/* The folder part of path ("." when none). Caller frees. */
char *sh_path_dirname(const char *path);



/* UTF-8 (checked with utf8proc: overlong forms, surrogates and code points past U+10FFFF are invalid).
 * sh_utf8_valid: true when the n bytes of s are valid UTF-8; otherwise *bad (may be NULL) is the offset of the first
 * invalid byte. Every entry point (command line, YAML, spreadsheets) checks its text with it and reports where. */
bool sh_utf8_valid(const char *s, size_t n, size_t *bad);
/* Line and column (1-based, columns in code points) of byte offset off of s, for located errors. */
void sh_utf8_locate(const char *s, size_t off, int *line, int *col);
/* Appends s to b with every invalid UTF-8 sequence replaced by U+FFFD (for writers whose format requires valid
 * UTF-8: XLSX, JSON). */
void sh_buf_put_utf8(sh_buf *b, const char *s, size_t n);

/* Text for a terminal: appends s to b with control characters neutralised so that text from evidence, the store
 * or any input cannot move the cursor, set a window title, ring the bell or hide itself: C0 controls other than
 * \n and \t, DEL, and C1 controls (U+0080..U+009F, as UTF-8 or as raw bytes) are written as visible escapes
 * ("\x1b", "\u009b"); invalid UTF-8 bytes as "\xNN". Everything else is kept (CJK, emoji, accents). */
void sh_term_clean(sh_buf *b, const char *s);
/* The cleaned text as a new string (caller frees). */
char *sh_term_cleaned(const char *s);
/* Writes s to f, cleaned with sh_term_clean when f is a terminal (isatty), as is otherwise (files and pipes get
 * the bytes of the report). Returns what fwrite/fputs returns (EOF on error). */
int sh_term_fputs(const char *s, FILE *f);
/* printf to f through sh_term_fputs. */
int sh_term_printf(FILE *f, const char *fmt, ...) SH_PRINTF(2, 3);

/* String-keyed hash map. Keys are copied; values are borrowed. Zero-initialise. */
typedef struct {
  char **keys;
  void **vals;
  size_t cap, n;
} sh_strmap;

void sh_strmap_put(sh_strmap *m, const char *key, void *val); /* replaces an existing value */
void *sh_strmap_get(const sh_strmap *m, const char *key);      /* NULL when absent */
void sh_strmap_free(sh_strmap *m);                             /* frees keys, not values */
#endif
