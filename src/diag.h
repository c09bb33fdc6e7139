/* diag: diagnostics with source locations, collected in a list (errors accumulate
 * instead of stopping at the first), and the documented process exit codes. */
#ifndef SHINSA_DIAG_H
#define SHINSA_DIAG_H

#include "util.h"

/* Process exit codes (documented in README.md and `shinsa --help`). */
typedef enum {
  SH_EXIT_OK = 0,       /* every applicable must item satisfied / command succeeded */
  SH_EXIT_FINDINGS = 1, /* findings: some applicable item not satisfied, log tampering found, ... */
  SH_EXIT_USAGE = 2,    /* usage error, or I/O error (missing file, unwritable output, database error) */
  SH_EXIT_INVALID = 3,  /* invalid input data (malformed YAML/XML, unknown fact, wrong type, hash mismatch, ...) */
} sh_exit_code;

typedef enum { SH_SEV_ERROR, SH_SEV_WARNING, SH_SEV_NOTE } sh_severity;

typedef struct {
  sh_severity sev;
  char *file; /* owned; may be NULL */
  int line;   /* 1-based; 0 = no position */
  int col;    /* 1-based; 0 = no column */
  char *msg;  /* owned */
} sh_diag;

/* A list of diagnostics. Zero-initialise; sh_diags_free releases everything. */
typedef struct {
  sh_diag *v;
  size_t n, cap;
  size_t nerrors;
} sh_diags;

void sh_diags_free(sh_diags *d);
void sh_diag_add(sh_diags *d, sh_severity sev, const char *file, int line, int col,
                 const char *fmt, ...) SH_PRINTF(6, 7);
void sh_diag_vadd(sh_diags *d, sh_severity sev, const char *file, int line, int col,
                  const char *fmt, va_list ap);
#define sh_error(d, file, line, col, ...) sh_diag_add((d), SH_SEV_ERROR, (file), (line), (col), __VA_ARGS__)
/* Moves every diagnostic of src to the end of dst; src is left empty. */
void sh_diags_move(sh_diags *dst, sh_diags *src);

/* Formats one diagnostic as `shinsa: error: FILE:LINE:COL: message` (no newline). Caller frees. */
char *sh_diag_format(const sh_diag *dg);
/* Prints every diagnostic to out, one per line; with show_source, the source line and a caret
 * under the column follow (read from the file when it can be read). */
void sh_diags_print(const sh_diags *d, FILE *out, bool show_source);

#endif
