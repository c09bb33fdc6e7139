/* yamldoc: YAML documents read with libyaml into a tree whose every node keeps its
 * line and column, with limits on size, depth and aliases, plus checked accessors that
 * report type errors at the node's position. */
#ifndef SHINSA_YAMLDOC_H
#define SHINSA_YAMLDOC_H

#include "diag.h"

typedef enum { SH_Y_SCALAR, SH_Y_SEQ, SH_Y_MAP } sh_ykind;

typedef struct sh_ynode sh_ynode;
typedef struct {
  sh_ynode *key, *val;
} sh_ypair;

struct sh_ynode {
  sh_ykind kind;
  int line, col;       /* 1-based position of the node's first character */
  char *str;           /* scalar text (NUL-terminated; may contain NUL if len says so) */
  size_t len;          /* scalar length */
  bool plain;          /* scalar written without quotes or block style (so `true`, `12` are typed) */
  char style;          /* scalar style: 'p' plain, '\'' single, '"' double, '|' literal, '>' folded */
  sh_ynode **items;    /* sequence items */
  sh_ypair *pairs;     /* mapping pairs in document order */
  size_t n;            /* number of items or pairs */
};

/* A loaded document. All nodes are owned by the document; sh_ydoc_free releases them. */
typedef struct {
  char *file;     /* the name used in diagnostics (owned) */
  sh_ynode *root; /* NULL for an empty document */
  sh_vec nodes;   /* every node, for freeing (aliases share nodes) */
} sh_ydoc;

/* Bounds on every YAML file (docs/formats.md "Bounds"). Input past a bound is invalid data: the error names
 * the bound and the FILE:LINE:COL where it was crossed. */
#define SH_YAML_MAX_BYTES (16u * 1024u * 1024u) /* bytes in one file */
#define SH_YAML_MAX_DEPTH 64                    /* nesting of sequences and mappings */
#define SH_YAML_MAX_ALIASES 64                  /* alias uses (*name) in one file */
#define SH_YAML_MAX_ALIAS_EXPANSION 200000      /* nodes added by expanding those aliases */
#define SH_YAML_MAX_NODES 2000000               /* nodes written in the file (scalars, lists, mappings) */

/* Reads a YAML file into *text (NUL-terminated, caller frees) and *len, bounded by SH_YAML_MAX_BYTES.
 * Returns 0, or -1 after adding an error to d: an I/O error has no position (line 0); a file past the
 * bound is invalid data located at the first byte past it. */
int sh_ydoc_read_file(const char *path, char **text, size_t *len, sh_diags *d);
/* The same from a descriptor opened by the caller with fileio.h (not closed here); path names it in diagnostics. */
int sh_ydoc_read_fd(const char *path, int fd, char **text, size_t *len, sh_diags *d);
/* Loads the first document of a file. Returns a new document (caller frees with sh_ydoc_free),
 * or NULL after adding an error with FILE:LINE:COL to d. A file holding several documents is an error. */
sh_ydoc *sh_ydoc_load_file(const char *path, sh_diags *d);
/* The same from memory; name is used in diagnostics. NUL bytes, invalid UTF-8, control characters and
 * input past a bound are errors located at the offending byte. */
sh_ydoc *sh_ydoc_load_string(const char *name, const char *text, size_t len, sh_diags *d);
void sh_ydoc_free(sh_ydoc *doc);

/* Mapping lookup by key; NULL when absent or when map is not a mapping. */
sh_ynode *sh_ymap_get(const sh_ynode *map, const char *key);

/* Checked accessors: on a wrong kind they add an error at the node and return false. what names the value in
 * the error: a YAML key name as written ("applicant", shown as it is), or a description with a space
 * ("applicant name", marked N_() where it is written and shown in the message language). */
bool sh_y_expect(const sh_ydoc *doc, const sh_ynode *n, sh_ykind kind, const char *what, sh_diags *d);
/* Reports every key of map not in the NULL-terminated list allowed. Returns false if any. */
bool sh_y_check_keys(const sh_ydoc *doc, const sh_ynode *map, const char *const *allowed,
                     const char *what, sh_diags *d);
/* A required key: returns the value node or adds "missing key" at the mapping and returns NULL. */
sh_ynode *sh_y_require(const sh_ydoc *doc, const sh_ynode *map, const char *key, const char *what,
                       sh_diags *d);
/* Scalar as string (borrowed); NULL plus error when not a scalar. */
const char *sh_y_str(const sh_ydoc *doc, const sh_ynode *n, const char *what, sh_diags *d);
/* Plain scalar true/false (also yes/no); false plus error otherwise. */
bool sh_y_bool(const sh_ydoc *doc, const sh_ynode *n, bool *out, const char *what, sh_diags *d);
/* Plain decimal integer within int64; false plus error otherwise. */
bool sh_y_int(const sh_ydoc *doc, const sh_ynode *n, int64_t *out, const char *what, sh_diags *d);
/* YYYY-MM-DD; false plus error otherwise. */
bool sh_y_date(const sh_ydoc *doc, const sh_ynode *n, sh_date *out, const char *what, sh_diags *d);
/* Either a scalar or a mapping {ja: ..., en: ...}; returns strings owned by caller (either may be NULL). */
bool sh_y_text(const sh_ydoc *doc, const sh_ynode *n, char **ja, char **en, const char *what, sh_diags *d);

#endif
