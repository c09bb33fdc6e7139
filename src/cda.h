/* cda: checks of HL7 CDA checkup documents (MHLW 特定健診 format): hostile-input-safe XML parsing,
 * validation against a user-supplied XSD, extraction and classification of the 17-digit checkup item
 * codes (OID 1.2.392.200119.6.1005) with the sensitivity levels, and the facts an evidence package gets. */
#ifndef SHINSA_CDA_H
#define SHINSA_CDA_H

#include "evidence.h"

#define SH_CDA_ITEM_OID "1.2.392.200119.6.1005"
#define SH_XML_MAX_BYTES (32u * 1024u * 1024u) /* one XML document */
#define SH_XML_MAX_DEPTH 256                   /* element nesting (libxml2's limit without XML_PARSE_HUGE) */

/* The MHLW checkup item-code table (XMLhc24tab.csv layout: a header row naming XMLITEM_17CODE,
 * XMLITEM_NAME, XMLITEM_CASE01 (特定健診 use) and XMLITEM_ITEMOID). Owns everything. */
typedef struct {
  char *code;      /* 17 characters */
  char *name;      /* Japanese display name */
  bool statutory;  /* used in the specific health checkup (特定健診): provided via Mynaportal, level 2 */
} sh_cda_itemdef;

typedef struct {
  char *file;
  sh_vec items;    /* sh_cda_itemdef* */
  sh_strmap by_code;
} sh_cda_table;

/* Loads the table; NULL with errors (FILE:LINE) in d. Free with sh_cda_table_free. */
sh_cda_table *sh_cda_table_load(const char *csv_path, sh_diags *d);
void sh_cda_table_free(sh_cda_table *t);

typedef enum {
  SH_CDA_STATUTORY,     /* in the table, specific-checkup item: level 2 */
  SH_CDA_OTHER_CHECKUP, /* in the table, other checkup programmes only: outside the Mynaportal set (level 3) */
  SH_CDA_UNKNOWN_CODE,  /* not in the table (or malformed): flagged */
  SH_CDA_UNCLASSIFIED,  /* no table given */
} sh_cda_class;

typedef struct {
  char *code;
  const char *name;     /* from the table (borrowed) or NULL */
  int line;
  sh_cda_class cls;
  int level;            /* 2, 3, or -1 when unknown */
} sh_cda_item;

/* The outcome for one document. Owns its items. */
typedef struct {
  char *file;
  bool well_formed;     /* parsed safely (no DTD, within limits) */
  bool valid;           /* well formed and schema-valid */
  size_t nerrors;       /* parse or validation errors (each also in the diagnostics) */
  sh_vec items;         /* sh_cda_item*, document order */
  size_t nflagged;      /* items not statutory (other or unknown) */
} sh_cda_doc;

/* A compiled schema. Owns the libxml2 schema. */
typedef struct sh_cda_schema sh_cda_schema;
/* Loads an XSD (its includes and imports are read from files; network access is refused).
 * NULL with errors in d. */
sh_cda_schema *sh_cda_schema_load(const char *xsd_path, sh_diags *d);
void sh_cda_schema_free(sh_cda_schema *s);

/* Parses a document with no network, no DTD (a DOCTYPE is refused, which stops XXE and entity
 * expansion), no entity substitution and the size/depth limits; validates it against schema (may be
 * NULL: well-formedness only) and classifies its item codes with table (may be NULL). Each error is
 * added to d as FILE:LINE. Returns a result (caller frees with sh_cda_doc_free); its file may be
 * unreadable (well_formed false). */
sh_cda_doc *sh_cda_check(const sh_cda_schema *schema, const sh_cda_table *table, const char *file, sh_diags *d);
/* The same, reading the document from fd (opened by the caller with fileio.h, not closed here; -1: open file
 * with sh_open_input); file names it in diagnostics. */
sh_cda_doc *sh_cda_check_fd(const sh_cda_schema *schema, const sh_cda_table *table, const char *file, int fd,
                            sh_diags *d);
void sh_cda_doc_free(sh_cda_doc *doc);
const char *sh_cda_class_name(sh_cda_class c);

/* Checks the package's cda_exports samples and sets interop.cda_export_schema_valid and (with an item
 * table) interop.cda_export_items_within_mynaportal with provenance probed. Returns 0, or -1 after
 * errors in d (missing schema, unreadable table). Without cda_exports it does nothing. */
int sh_cda_apply(sh_evidence *ev, sh_diags *d);

/* Levels of data items by MHLW item code: with the table of `item_codes:` (or `cda_exports.items`) a data item whose
 * code is in the table takes the table's level (specific-checkup item: 2, other checkup item: 3) and keeps its
 * declared level in declared_level (a difference is a consistency finding). A code not in the table, or no table,
 * leaves the declared level (a warning when there is none). Call before sh_evidence_derive. Returns -1 when the
 * table cannot be read (errors in d). */
int sh_cda_item_levels(sh_evidence *ev, sh_diags *d);

/* The `shinsa cda` command: checks every file, prints one summary line per file and one line per item
 * code (FILE:LINE: CODE class name), diagnostics into d with their class: schema errors and flagged
 * items are findings, malformed or refused XML is data, an unreadable file is I/O (the exit code
 * follows from d: sh_diags_exit_code). Returns 0, or -1 when the schema or item table cannot be loaded. */
/* Batch inputs of `shinsa cda`: each argument is a file, a folder (every *.xml file under it, recursively, in
 * name order; links to folders are not followed) or "-" (a list of files read from list, one per line; blank
 * lines ignored). Appends owned paths to out. Returns 0, or -1 after I/O errors in d (a missing argument). */
int sh_cda_expand_inputs(const char *const *args, size_t nargs, FILE *list, sh_vec *out, sh_diags *d);

/* How sh_cda_batch reports. */
typedef struct {
  bool json;          /* one JSON object: files (one per document) and totals; else text lines and a totals line */
  /* Called before each file (i from 0) when not NULL: progress for people (the CLI shows it on a terminal). */
  void (*progress)(void *ctx, size_t i, size_t n, const char *file);
  void *progress_ctx;
} sh_cda_batch_opts;

/* Totals of a batch. */
typedef struct {
  size_t files, valid, invalid, refused, items, flagged;
} sh_cda_totals;

/* Checks every file (see sh_cda_run) and writes the per-file results and the totals to out. Exit status through
 * d: schema errors and flagged items are findings, malformed or refused XML invalid data, unreadable files I/O.
 * Returns 0, or -1 when the schema or table cannot be loaded. totals may be NULL. */
int sh_cda_batch(const char *const *files, size_t nfiles, const char *xsd, const char *items_csv,
                 const sh_cda_batch_opts *o, FILE *out, sh_cda_totals *totals, sh_diags *d);

int sh_cda_run(const char *const *files, size_t nfiles, const char *xsd, const char *items_csv, FILE *out,
               sh_diags *d);

/* Installs the process-wide libxml2 settings (external entity loader refusing network and DTD loading).
 * Called by the functions above; harmless to call again. */
void sh_xml_init(void);

#endif
