/* evidence: an operator's evidence package (DIR/evidence.yaml): applicant, fact values with
 * their provenance, documents (path kept inside DIR, SHA-256 and validity checked), declared data
 * items with sensitivity levels, and certifications held. Format: docs/formats.md §4. */
#ifndef SHINSA_EVIDENCE_H
#define SHINSA_EVIDENCE_H

#include "framework.h"
#include "hash.h"

#define SH_DOC_MAX_BYTES (256u * 1024u * 1024u) /* one evidence document */
/* How results (findings, reports, the store) name the package file: relative to the package, never by the
 * machine path it was read from (diagnostics on stderr name the path as typed). */
#define SH_EVIDENCE_NAME "evidence.yaml"

typedef enum {
  SH_DOC_OK,
  SH_DOC_MISSING,       /* file not found */
  SH_DOC_HASH_MISMATCH, /* sha256 differs from the declared one */
  SH_DOC_EXPIRED,       /* valid_until before the assessment date */
  SH_DOC_NOT_YET_VALID, /* issued after the assessment date */
  SH_DOC_UNREADABLE,    /* I/O error, not a regular file, or larger than the limit */
} sh_doc_status;

typedef struct {
  char *path;           /* as written, relative to the package */
  char *abs;            /* DIR/path as a name (NULL when path is refused as written); the file is opened beneath
                           the package folder's descriptor, not by this name */
  char sha256_declared[65];
  char sha256_actual[65]; /* "" when not computed */
  char *title;
  sh_date issued, valid_until;
  bool has_issued, has_valid_until;
  sh_vec attests;       /* const sh_fact* */
  sh_doc_status status;
  int line, col;        /* of the document entry */
  int path_line, path_col; /* of its path */
  int hash_line, hash_col;
} sh_document;

/* One fact's value with where it came from. */
typedef struct {
  const sh_fact *fact;
  sh_value value;
  sh_prov prov;
  char *origin;         /* file the value came from (evidence.yaml, a probed config file, "review") */
  int line, col;
  sh_vec documents;     /* const sh_document* that attest it (verified or not) */
  char *detail;         /* e.g. the probe's explanation; may be NULL */
} sh_fact_value;

typedef struct {
  char *id;
  sh_text name;
  int level;            /* 0..3, or -1 when not known: the table's level when it decides one, else the declared */
  char *code;           /* 17-digit MHLW item code or NULL */
  int declared_level;   /* `level:` as written, or -1 */
  int table_level;      /* the MHLW item-code table's level for `code` (sh_cda_item_levels), or -1 */
  sh_vec purposes, recipients; /* char* */
  int line, col;
} sh_data_item;

typedef struct {
  char *framework;
  char *number;
  sh_date valid_until;
  sh_date issued;
  bool has_issued;
  char *certificate;    /* `certificate:` path of the certificate document (listed under documents:), or NULL */
  char *kind;           /* `kind:` 通常認定 (regular) or P認定 (for a service not yet in operation); NULL = 通常認定 */
  int line, col;
} sh_certification;

/* The certificate document of c (the documents: entry whose path is c->certificate), or NULL. */
struct sh_evidence;
const sh_document *sh_certificate_doc(const struct sh_evidence *ev, const sh_certification *c);

/* The applicant's answer to one checksheet item (`answers:`; docs/formats.md §4.1; answers.h). */
typedef enum {
  SH_ANS_IMPLEMENTED,
  SH_ANS_PARTIAL,
  SH_ANS_PLANNED,        /* with planned_by */
  SH_ANS_NOT_APPLICABLE, /* with reason */
  SH_ANS__COUNT
} sh_answer_status;

/* A reference from an answer to a document of the package, with the page or section. */
typedef struct {
  const sh_document *document; /* borrowed from the package's documents */
  char *at;                    /* "第5条", "p. 3", ...; may be NULL */
  int line, col;
} sh_answer_ref;

typedef struct {
  char *framework, *item;  /* the key FRAMEWORK:ITEM split at the first ':' */
  sh_answer_status status;
  sh_date planned_by;      /* planned only */
  char *reason;            /* not_applicable only */
  sh_text text;            /* the answer (ja, en optional); either may be NULL */
  sh_vec refs;             /* sh_answer_ref* (owned) */
  char *origin;            /* the file it was read from */
  int line, col;           /* of the key */
} sh_answer;

/* A path inside the package named in evidence.yaml (probe folders, CDA export samples). */
typedef struct {
  char *path; /* as written */
  char *abs;  /* resolved, inside the package */
  int line, col;
} sh_pkgpath;

typedef struct sh_evidence {
  char *dir;            /* the package folder as given */
  char *file;           /* DIR/evidence.yaml */
  char sha256[65];      /* of evidence.yaml */
  char *applicant_name, *applicant_name_en, *applicant_kind;
  sh_date assessment_date;
  const sh_vocab *vocab; /* borrowed */
  sh_fact_value **values; /* indexed by fact index; NULL when the fact has no value; owned */
  size_t nvalues;
  sh_vec documents;     /* sh_document* */
  sh_vec data_items;    /* sh_data_item* */
  sh_vec certifications; /* sh_certification* */
  sh_vec frameworks;    /* char*: `frameworks:` the ids checked when the command line names none */
  sh_vec frameworks_at; /* sh_loc* (file NULL: ev->file), where each entry of frameworks is written */
  sh_vec probe_dirs;    /* sh_pkgpath*: `probes:` configuration folders */
  sh_vec cda_files;     /* sh_pkgpath*: `cda_exports.files` */
  sh_pkgpath *cda_schema; /* `cda_exports.schema` (may be NULL; may be outside the package) */
  sh_pkgpath *cda_items;  /* `cda_exports.items`: MHLW item-code table CSV (may be NULL; may be outside) */
  sh_pkgpath *item_codes; /* `item_codes`: the same table, deciding data items' levels by code (NULL: cda_items) */
  sh_vec answers;         /* sh_answer* (owned): `answers:` merged with `answers_file:` (the file wins per key) */
  char *answers_file;     /* `answers_file:` as written, or NULL */
} sh_evidence;

/* Checks the ids of `frameworks:` against reg: an unknown id is an error (invalid data) at its entry, with the
 * nearest known id as a hint. Returns the number of errors added. */
size_t sh_evidence_frameworks_check(const sh_evidence *ev, const sh_registry *reg, sh_diags *d);

/* Loads DIR/evidence.yaml: every structural error (malformed YAML, unknown fact, wrong type, path
 * leaving DIR, missing key) is added to d and NULL is returned. Document integrity (missing file,
 * hash mismatch, expiry) is not a load error: each document gets a status, a warning is added to d,
 * and evaluation turns it into findings. Returns a new package (free with sh_evidence_free). */
sh_evidence *sh_evidence_load(const sh_vocab *vocab, const char *dir, sh_diags *d);
void sh_evidence_free(sh_evidence *ev);

/* Recomputes derived facts (sensitivity levels from data items) and attested provenance from the
 * documents. sh_evidence_load calls it; call it again after adding probed values or data item levels. */
void sh_evidence_derive(sh_evidence *ev);

/* Sets (or replaces) a fact value. Copies value; origin may be NULL. Returns the stored entry. */
sh_fact_value *sh_evidence_set(sh_evidence *ev, const sh_fact *f, const sh_value *value, sh_prov prov,
                               const char *origin, int line, int col);
const sh_fact_value *sh_evidence_get(const sh_evidence *ev, const sh_fact *f);
/* Lookup function for sh_expr_eval over an evidence package (ctx = const sh_evidence*). */
const sh_value *sh_evidence_lookup(const void *ctx, const sh_fact *f);
const char *sh_doc_status_name(sh_doc_status s);
/* For people: the status in lang ("ja" or "en", else ja) from the message catalog (static); "ok" reads "in force". */
const char *sh_doc_status_label(sh_doc_status s, const char *lang);
/* The status sh_doc_status_name gives s: true and *out set, or false (s NULL or no status's name). */
bool sh_doc_status_parse(const char *s, sh_doc_status *out);

/* Resolves rel inside root: refuses absolute paths, '..' components and symlinks that leave root.
 * Returns an owned absolute path (a missing file inside root is returned: the caller reports it), or NULL after
 * adding an error at `at` (where rel was written) to d: "path 'REL' refused: REASON", class data (invalid input,
 * exit 3) for a path that leaves root, class io (exit 2) when root itself cannot be resolved. */
char *sh_path_inside(const char *root, const char *rel, sh_loc at, sh_diags *d);

#endif
