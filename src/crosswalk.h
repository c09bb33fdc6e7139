/* crosswalk: classification of a target framework's items against a source framework (A source
 * stricter, B equivalent, C target stricter, D no counterpart) with witnesses, and the curated relations
 * of rules/crosswalks (format: docs/formats.md §6) that it is checked against. */
#ifndef SHINSA_CROSSWALK_H
#define SHINSA_CROSSWALK_H

#include "framework.h"
#include "logic.h"

typedef enum {
  SH_XW_A,       /* the source is stricter: some source items together imply the item, not back */
  SH_XW_B,       /* equivalent: mutual implication */
  SH_XW_C,       /* the target is stricter: source items speak of the same facts but demand less */
  SH_XW_D,       /* no counterpart: no source item speaks of the item's facts */
  SH_XW_UNKNOWN, /* the procedure could not decide (bounds, manual item without curated relation) */
  SH_XW__COUNT
} sh_xw_class;

const char *sh_xw_class_name(sh_xw_class c); /* "A", "B", "C", "D", "unknown" */
/* Parses A/B/C/D or the STRM words superset/equal/subset/intersect/no-relationship (see §6). */
bool sh_xw_class_parse(const char *s, sh_xw_class *out);

/* ---------- curated relations ---------- */

typedef struct {
  char *target;       /* target item id */
  sh_vec sources;     /* char* source item ids (may be empty for D) */
  sh_xw_class cls;
  char *relation;     /* as written (A, superset, ...) */
  char *rationale;    /* syntactic | semantic | functional, or NULL when the table does not say */
  sh_text note;
  char *document, *lines; /* where the relation comes from (may be NULL) */
  char *file;
  int line, col;      /* position of the entry */
  int rel_line, rel_col; /* position of the `relation` value */
} sh_xw_relation;

/* Figures published for the pair by someone else (e.g. the official checksheet comparison). */
typedef struct {
  bool present;
  size_t counts[4];   /* A, B, C, D */
  size_t total, covered;
  sh_text label;
  char *document, *lines;
  char *document_title; /* the document's title from rules/sources.yaml (sh_xw_curated_load_registry), or NULL */
} sh_xw_published;

typedef struct {
  char *file;
  char *from, *to;
  int from_line, from_col, to_line, to_col;
  sh_text title;
  sh_xw_published published;
  sh_vec relations;   /* sh_xw_relation* */
} sh_xw_curated_file;

/* Every curated file of a folder. Owns everything. */
typedef struct {
  sh_vec files;       /* sh_xw_curated_file* */
} sh_xw_curated;

/* Loads every *.yaml of dir (a missing folder is no error: an empty set). Structural errors (unknown
 * key, bad relation or rationale word) go to d with FILE:LINE:COL and the file is skipped.
 * Returns a new set, never NULL; caller frees with sh_xw_curated_free. */
sh_xw_curated *sh_xw_curated_load_dir(const char *dir, sh_diags *d);
/* The curated files of every data folder of reg (DIR/rules/crosswalks, bundled first) and the files
 * named in extra (e.g. --mapping FILE). Never NULL. */
sh_xw_curated *sh_xw_curated_load_registry(const sh_registry *reg, const char *const *extra, size_t nextra,
                                            sh_diags *d);
/* The same for one file; returns NULL after adding errors to d. Caller frees with sh_xw_curated_file_free. */
sh_xw_curated_file *sh_xw_curated_load_file(const char *path, sh_diags *d);
void sh_xw_curated_file_free(void *f);
void sh_xw_curated_free(sh_xw_curated *c);
/* The curated file for a pair, or NULL. Borrowed. */
const sh_xw_curated_file *sh_xw_curated_find(const sh_xw_curated *c, const char *from, const char *to);

/* ---------- classification ---------- */

typedef struct {
  const sh_item *item;     /* the target item (borrowed) */
  sh_xw_class cls;         /* the class reported */
  bool covered;            /* a source conjunction provably implies the item (A, B, or unknown strictness) */
  sh_vec witnesses;        /* const sh_item*: the smallest set of source items found that implies the item */
  sh_vec also;             /* const sh_item*: other source items that imply it alone (alternatives) */
  sh_vec overlap;          /* const sh_item*: source items on the same or linked facts (C) */
  sh_vec unmet;            /* sh_clause*: conditions of the item the source items leave unmet (C) */
  sh_vec weaker;           /* const sh_item*: source items that would imply it but are weaker (should/effort) */
  char *counter_model;     /* A: a model where the item holds and the witnesses fail (why not B); or NULL */
  char *why_unknown;       /* unknown: why */
  bool derived;            /* a class was derived from the expressions (the item has `require`) */
  sh_xw_class derived_cls; /* that class (when derived) */
  const sh_xw_relation *curated; /* the curated relation for the item, or NULL (borrowed) */
  bool from_curated;       /* the reported class comes from the curated relation */
  bool conflict;           /* derived and curated classes disagree */
} sh_xw_result;

typedef struct {
  const sh_framework *from, *to; /* borrowed */
  const sh_xw_curated_file *curated; /* borrowed, may be NULL */
  sh_vec results;          /* sh_xw_result*, in target item order */
  size_t totals[SH_XW__COUNT];
  size_t nconflicts;
  double seconds;          /* time taken */
} sh_crosswalk;

/* Classifies every item of `to` against `from`. lc must be built on the vocabulary both frameworks were
 * loaded with; curated may be NULL. Returns a new crosswalk; caller frees with sh_crosswalk_free. */
sh_crosswalk *sh_crosswalk_compute(sh_logic_ctx *lc, const sh_framework *from, const sh_framework *to,
                                   const sh_xw_curated_file *curated);
void sh_crosswalk_free(sh_crosswalk *xw);
/* The result for a target item id, or NULL. */
const sh_xw_result *sh_crosswalk_result(const sh_crosswalk *xw, const char *target_id);
/* Percentage of target items covered (A + B) among all target items (0 when there are none). */
double sh_crosswalk_coverage(const sh_crosswalk *xw);

/* Lint of curated relations against the installed frameworks: unknown frameworks or items, and every
 * curated entry whose relation disagrees with the derived one (an error at the entry's FILE:LINE:COL).
 * Returns the number of errors added. */
size_t sh_crosswalk_lint(const sh_registry *reg, const sh_xw_curated *cur, sh_diags *d);

/* The folder of curated relations in a data directory: DIR/rules/crosswalks. Caller frees. */
char *sh_crosswalk_dir(const char *data_dir);

#endif
