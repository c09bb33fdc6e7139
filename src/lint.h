/* lint: validating shinsa's own files (frameworks, vocabularies, evidence packages, curated crosswalks,
 * verbatim quotes against their sources) with every error collected in an sh_diags. Owns the
 * classification of a path by its content; the `shinsa lint` command only prints the outcome. */
#ifndef SHINSA_LINT_H
#define SHINSA_LINT_H

#include "diag.h"

typedef enum { SH_FILE_FRAMEWORK, SH_FILE_VOCAB, SH_FILE_EVIDENCE, SH_FILE_OVERLAY, SH_FILE_UNKNOWN } sh_file_kind;

/* Counts of what was checked. */
typedef struct {
  size_t nfiles;  /* files checked */
  size_t nquotes; /* verbatim quotes verified against the sources */
} sh_lint_stats;

/* What path is: an evidence package (a folder holding evidence.yaml, or a file named evidence.yaml),
 * else a framework (framework:), a vocabulary (facts:) or evidence (applicant:) by its top-level keys.
 * For evidence, *evdir receives the package folder (caller frees; NULL otherwise). SH_FILE_UNKNOWN
 * after an error in d (an I/O error when the file cannot be read). */
sh_file_kind sh_file_classify(const char *path, char **evdir, sh_diags *d);

/* Lints the whole data directory: every framework and vocabulary file, the curated crosswalks, and
 * with sources (a folder, may be NULL) every verbatim quote. Errors go into d. */
void sh_lint_data_dir(const char *data_dir, const char *sources, sh_lint_stats *st, sh_diags *d);

/* The same with the user folders and the files of ro (--framework PATH: frameworks and overlays, their
 * ids and framework versions checked strictly) and extra curated crosswalk files (--mapping FILE), each
 * curated relation that disagrees with the derived class named at its FILE:LINE:COL. */
void sh_lint_data_dirs(const char *data_dir, const void *ro, const char *const *mappings, size_t nmappings,
                       const char *sources, sh_lint_stats *st, sh_diags *d);

/* Lints the given files or evidence folders, frameworks and evidence checked against the vocabulary
 * of data_dir. Errors go into d. */
void sh_lint_paths(const char *data_dir, const char *const *paths, size_t n, const char *sources, sh_lint_stats *st,
                   sh_diags *d);

#endif
