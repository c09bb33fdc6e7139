/* probe_conf: machinery shared by the configuration probes: paths resolved inside the probe root like
 * a chroot (escapes refused), include globs, bounded file reading, include loop guards, word splitting. */
#ifndef SHINSA_PROBE_CONF_H
#define SHINSA_PROBE_CONF_H

#include "probe.h"

/* State of one probe run. Borrows res and d. */
typedef struct {
  const char *root;   /* DIR as given, used to name files in diagnostics */
  char *root_real;    /* realpath(DIR), owned */
  int root_fd;        /* DIR opened with sh_open_root: files are read with sh_open_beneath(SH_OPEN_IN_ROOT), owned */
  sh_probe_result *res;
  sh_diags *d;
  size_t nfiles;      /* files read so far */
} sh_pctx;

/* A stack of in-root paths being read, for loop and depth checks. Zero-initialise. */
typedef struct {
  sh_vec paths; /* char*, owned */
} sh_pstack;

/* Resolves an in-root path (absolute: "/etc/ssh/sshd_config") as if DIR were `/`: symbolic links with an
 * absolute target are taken inside DIR; a `..` above DIR (written or reached through a relative link) is
 * refused. A missing final part is not an error (the caller finds the file missing). Returns the owned
 * canonical in-root path, or NULL after reporting the refusal to c->d (see "Refusals" below). */
char *sh_pctx_resolve(const sh_pctx *c, const char *inroot, sh_loc at, const char *what);
/* The host path of a canonical in-root path: DIR joined with it (for reading and for diagnostics). Caller frees. */
char *sh_pctx_host(const sh_pctx *c, const char *inroot);
/* Joins base (an in-root folder) and a configuration path: absolute paths are in-root as they are. Caller frees. */
char *sh_pctx_join(const char *base, const char *path);
bool sh_has_glob(const char *s);
/* Outcome of listing or expanding in-root paths. */
typedef enum {
  SH_PCTX_OK = 0,            /* done (the list may be empty) */
  SH_PCTX_REFUSED = -1,      /* a path leaves DIR (reported to c->d, see "Refusals" below) */
  SH_PCTX_NOT_A_FOLDER = -2, /* sh_pctx_list_dir: the path is not a folder that can be opened (a file, or nothing) */
} sh_pctx_rc;

/* Refusals: sh_pctx_resolve, sh_pctx_glob and sh_pctx_list_dir report a refused path themselves, as one error
 * "WHAT refused: REASON" (WHAT NULL: "refused: REASON") at `at` (the include line that named the path), or at the
 * host path of the path they were given when at.file is NULL. The class is data (invalid input, exit 3) for a
 * path that leaves DIR or a loop of links, io (exit 2) for a link that cannot be read. */

/* Expands an in-root pattern (`*`, `?`, `[...]` in any component) into sorted canonical in-root paths of
 * existing regular files (a pattern without wildcards yields its path whether or not it exists).
 * Returns SH_PCTX_OK or SH_PCTX_REFUSED. Appends owned strings to out. */
sh_pctx_rc sh_pctx_glob(const sh_pctx *c, const char *pattern, sh_vec *out, sh_loc at, const char *what);
/* Lists the regular files of an in-root folder whose names end with suffix (NULL = any; names starting with
 * '.' are skipped), sorted. Returns SH_PCTX_OK, SH_PCTX_REFUSED or SH_PCTX_NOT_A_FOLDER. */
sh_pctx_rc sh_pctx_list_dir(const sh_pctx *c, const char *dir, const char *suffix, sh_vec *out, sh_loc at,
                            const char *what);
bool sh_pctx_exists(const sh_pctx *c, const char *inroot);

/* Reads a canonical in-root file, opened with sh_open_beneath on root_fd (regular files only, the walk kept
 * inside DIR on the descriptors opened; size limit, no NUL bytes, file count limit). On failure adds an error
 * at (from_file, from_line) — or at the file itself when from_file is NULL — and returns NULL.
 * Records the file in res->files. Caller frees the text. */
char *sh_pctx_read(sh_pctx *c, const char *inroot, const char *from_file, int from_line);

/* Enters a file for reading: refuses (error at from_file:from_line) a loop or an include depth above
 * SH_PROBE_MAX_INCLUDE_DEPTH. Returns true when the caller may read it; then call sh_pstack_leave. */
bool sh_pstack_enter(sh_pctx *c, sh_pstack *s, const char *inroot, const char *from_file, int from_line);
void sh_pstack_leave(sh_pstack *s);
void sh_pstack_free(sh_pstack *s);

/* Splits one line into words: blanks separate, "double" and 'single' quotes group (quotes removed),
 * a '#' at the start of a word ends the line. Appends owned strings to out. */
void sh_split_words(const char *line, sh_vec *out);

/* Iterates over the lines of text: *line_no counts from 1; returns false at the end. The line is NUL-terminated
 * in place (text is modified); a trailing '\r' is removed. */
bool sh_next_line(char **cursor, char **line, int *line_no);

/* Case-insensitive ASCII comparison. */
bool sh_ieq(const char *a, const char *b);

/* Sets a fact with file = host path of an in-root file (NULL inroot: no file). */
void sh_pctx_fact(sh_pctx *c, const char *fact, const char *value, const char *inroot, int line,
                  const char *fmt, ...) SH_PRINTF(6, 7);

#endif
