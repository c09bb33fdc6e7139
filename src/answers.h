/* answers: the applicant's per-item answers of an evidence package (`answers:` in evidence.yaml and
 * the file named by `answers_file:`), keyed FRAMEWORK:ITEM: reading them, checking the keys against
 * the installed frameworks (unknown framework or item: FILE:LINE:COL with a did-you-mean), finding an
 * item's answer, and writing answers back as YAML (init, import answers). The sh_answer objects
 * belong to the evidence package (evidence.h, sh_evidence_free frees them). Format: docs/formats.md §4.1. */
#ifndef SHINSA_ANSWERS_H
#define SHINSA_ANSWERS_H

#include "evidence.h"
#include "yamldoc.h"

const char *sh_answer_status_name(sh_answer_status s);                 /* "implemented", ... */
const char *sh_answer_status_label(sh_answer_status s, const char *lang); /* for people: lang from the catalog */
/* Accepts the names and the Japanese labels (a spreadsheet cell may hold either). */
bool sh_answer_status_parse(const char *s, sh_answer_status *out);

/* Reads an `answers:` mapping into ev->answers (documents must already be loaded: refs name them).
 * An entry whose key is already present replaces it (the answers file overrides evidence.yaml).
 * Errors go to d with the node's position. */
void sh_answers_load(sh_evidence *ev, const sh_ydoc *doc, const sh_ynode *n, sh_diags *d);
/* Reads the answers file (a YAML mapping with the single key `answers:`) at abs, named rel (relative to
 * the package) in messages; an unreadable file is an error at the node `at` of the document `from`. */
void sh_answers_load_file(sh_evidence *ev, const char *abs, const char *rel, const sh_ydoc *from, const sh_ynode *at,
                          sh_diags *d);
void sh_answer_free(void *answer);

/* Checks every answer's key against the frameworks of reg: an unknown framework or item is an error
 * at the key with the nearest id as a hint. Returns the number of errors added. */
size_t sh_answers_check(const sh_evidence *ev, const sh_registry *reg, sh_diags *d);
/* The answer for an item, or NULL. */
const sh_answer *sh_answer_find(const sh_evidence *ev, const char *framework, const char *item);

/* Appends a YAML scalar that reads back as s (double-quoted with escapes when needed). */
void sh_yaml_quote(sh_buf *b, const char *s);
/* Appends one answer as a YAML mapping entry of `answers:` (two-space indented key). */
void sh_answer_write_yaml(sh_buf *b, const sh_answer *a);

#endif
