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

/* What kind of problem an error is; the exit code follows from it (sh_diags_exit_code):
 *   SH_DIAG_DATA    invalid input data (the default of sh_error)        -> SH_EXIT_INVALID
 *   SH_DIAG_IO      a file, folder or database cannot be read or written -> SH_EXIT_USAGE
 *   SH_DIAG_USAGE   the command line is wrong                            -> SH_EXIT_USAGE
 *   SH_DIAG_FINDING what the command looks for was found (schema errors in a checked document,
 *                   log tampering, ...)                                  -> SH_EXIT_FINDINGS
 * Only errors decide the exit code; warnings and notes never do. */
typedef enum { SH_DIAG_DATA = 0, SH_DIAG_IO, SH_DIAG_USAGE, SH_DIAG_FINDING } sh_diag_class;

typedef struct {
  sh_severity sev;
  sh_diag_class cls;
  char *file; /* owned; may be NULL */
  int line;   /* 1-based; 0 = no position */
  int col;    /* 1-based; 0 = no column */
  char *msg;  /* owned */
} sh_diag;

/* A list of diagnostics. Zero-initialise; sh_diags_free releases everything. (The tag lets fileio.h, which
 * util.h includes, name the type without including this header.) */
typedef struct sh_diags {
  sh_diag *v;
  size_t n, cap;
  size_t nerrors;
  size_t nfindings; /* findings reported elsewhere (in a report on stdout), counted by sh_diags_findings */
} sh_diags;

void sh_diags_free(sh_diags *d);
void sh_diag_add(sh_diags *d, sh_severity sev, const char *file, int line, int col,
                 const char *fmt, ...) SH_PRINTF(6, 7);
void sh_diag_vadd(sh_diags *d, sh_severity sev, const char *file, int line, int col,
                  const char *fmt, va_list ap);
/* Adds a diagnostic of class cls. sh_diag_add/sh_diag_vadd add class SH_DIAG_DATA. */
void sh_diag_addc(sh_diags *d, sh_diag_class cls, sh_severity sev, const char *file, int line, int col,
                  const char *fmt, ...) SH_PRINTF(7, 8);
void sh_diag_vaddc(sh_diags *d, sh_diag_class cls, sh_severity sev, const char *file, int line, int col,
                   const char *fmt, va_list ap);
/* Errors by class. sh_error is sh_error_data (invalid input data). */
#define sh_error(d, file, line, col, ...) sh_diag_add((d), SH_SEV_ERROR, (file), (line), (col), __VA_ARGS__)
#define sh_error_data(d, file, line, col, ...) \
  sh_diag_addc((d), SH_DIAG_DATA, SH_SEV_ERROR, (file), (line), (col), __VA_ARGS__)
#define sh_error_io(d, file, line, col, ...) \
  sh_diag_addc((d), SH_DIAG_IO, SH_SEV_ERROR, (file), (line), (col), __VA_ARGS__)
#define sh_error_finding(d, file, line, col, ...) \
  sh_diag_addc((d), SH_DIAG_FINDING, SH_SEV_ERROR, (file), (line), (col), __VA_ARGS__)
/* A command-line error (no file position); the CLI adds "Try 'shinsa CMD --help'." after it. */
#define sh_error_usage(d, ...) sh_diag_addc((d), SH_DIAG_USAGE, SH_SEV_ERROR, NULL, 0, 0, __VA_ARGS__)
/* Records n findings that are reported elsewhere (e.g. in the report on standard output). */
void sh_diags_findings(sh_diags *d, size_t n);
/* True when d holds an error of class cls. */
bool sh_diags_has(const sh_diags *d, sh_diag_class cls);
/* The process exit code for d, the one place where it is decided: a usage or I/O error gives
 * SH_EXIT_USAGE, else a data error SH_EXIT_INVALID, else a finding (error of class finding or
 * sh_diags_findings) SH_EXIT_FINDINGS, else SH_EXIT_OK. */
sh_exit_code sh_diags_exit_code(const sh_diags *d);
/* Moves every diagnostic of src to the end of dst; src is left empty. */
void sh_diags_move(sh_diags *dst, sh_diags *src);

/* Formats one diagnostic as `shinsa: error: FILE:LINE:COL: message` (no newline). Caller frees. */
char *sh_diag_format(const sh_diag *dg);
/* Prints every diagnostic to out, one per line; with show_source, the source line and a caret
 * under the column follow (read from the file when it can be read). */
void sh_diags_print(const sh_diags *d, FILE *out, bool show_source);

#endif
