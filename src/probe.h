/* probe: `shinsa probe --root DIR`: reads a system's configuration files under DIR (a copy the operator
 * exports, or / on the audited host) and yields facts of provenance `probed`, each with file and line. */
#ifndef SHINSA_PROBE_H
#define SHINSA_PROBE_H

#include "evidence.h"

#define SH_PROBE_MAX_FILE_BYTES (4u * 1024u * 1024u) /* one configuration file */
#define SH_PROBE_MAX_FILES 2000                      /* files read in one probe run */
#define SH_PROBE_MAX_INCLUDE_DEPTH 16                /* nested includes */

/* One probed fact. Every string is owned by the entry. */
typedef struct {
  char *fact;   /* fact id of the vocabulary (rules/facts.d/system.yaml) */
  char *value;  /* the value as text, parsed with sh_value_from_string */
  char *file;   /* configuration file (DIR joined with the path inside DIR) */
  int line;     /* 1-based; 0 when the value is the software's documented default */
  char *detail; /* what was read and how it was judged */
} sh_probed;

/* The outcome of a probe run. Owns its entries; free with sh_probe_result_free. */
typedef struct {
  char *root;   /* DIR as given */
  sh_vec facts; /* sh_probed*, one per fact id, in the order the probes ran */
  sh_vec files; /* char*: every configuration file read, in reading order */
} sh_probe_result;

/* Runs every probe below root. Returns a new result (caller frees), or NULL with an error in d when
 * root is not a folder. Refused includes (leaving DIR, loops, too deep) and unreadable files are
 * errors in d at the including line; the other probes still run. */
sh_probe_result *sh_probe_run(const char *root, sh_diags *d);
void sh_probe_result_free(sh_probe_result *r);

/* Sets the probed value of a fact, replacing an earlier one. Copies every string; file may be NULL. */
void sh_probe_set(sh_probe_result *r, const char *fact, const char *value, const char *file, int line,
                  const char *detail);
/* The entry of a fact, or NULL. */
const sh_probed *sh_probe_get(const sh_probe_result *r, const char *fact);

/* Checks every probed fact against the vocabulary (unknown fact or ill-typed value: error in d).
 * Returns true when all fit. */
bool sh_probe_check_vocab(const sh_probe_result *r, const sh_vocab *vocab, sh_diags *d);

/* Merges probed facts into an evidence package: a probed value replaces a declared or attested one
 * (a note names both when they differ); a confirmed value is kept (a note when they differ).
 * Returns the number of facts merged, or -1 after errors in d (fact not in the vocabulary). */
int sh_probe_apply(const sh_probe_result *r, sh_evidence *ev, sh_diags *d);

/* Collects the probed facts of an evidence package: the probes over each `probes:` folder, then over
 * extra_root (`check --probe-root`, may be NULL; it wins over the package's folders), then the CDA export
 * samples (sh_cda_apply); derived facts are recomputed. Returns 0, or -1 when errors were added to d. */
int sh_probe_evidence(sh_evidence *ev, const char *extra_root, sh_diags *d);

/* Writes the facts as a JSON object {"root", "facts": [{fact, value, file, line, detail}], "files"}. */
void sh_probe_json(const sh_probe_result *r, sh_buf *out);
/* Prints the facts as `FILE:LINE: fact = value  (detail)`, one per line. */
void sh_probe_print(const sh_probe_result *r, FILE *out);

#endif
