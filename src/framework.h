/* framework: certification frameworks and rule sets loaded as data (checklists/NAME.yaml,
 * rules/NAME.yaml with kind: rules): metadata, sections, items with strength, applicability,
 * requirement or manual evidence, and provenance of each item's text. Also the registry that
 * finds installed frameworks in the data directory. Format: docs/formats.md §3. */
#ifndef SHINSA_FRAMEWORK_H
#define SHINSA_FRAMEWORK_H

#include "expr.h"

typedef enum { SH_STRENGTH_MUST, SH_STRENGTH_SHOULD, SH_STRENGTH_EFFORT } sh_strength;
typedef enum { SH_FORM_VERBATIM, SH_FORM_PARAPHRASE, SH_FORM_DERIVED } sh_form;
/* Provenance ranks: declared < attested == probed < confirmed. */
typedef enum { SH_PROV_DECLARED, SH_PROV_ATTESTED, SH_PROV_PROBED, SH_PROV_CONFIRMED } sh_prov;

typedef struct {
  char *ja, *en;
} sh_text;

typedef struct {
  char *document;  /* seed file name */
  char *lines;     /* "133-137" or "140" */
  int line_from, line_to;
  char *section;
  sh_form form;
  char *quote;     /* verbatim only */
  char *note;
  int line, col;   /* position of the source mapping in the framework file */
  int quote_line, quote_col;
  char *sheet;     /* imported from a spreadsheet: the sheet name, or NULL */
  int row;         /* ... and the row (1-based; 0 = not from a spreadsheet); a verbatim text from a row
                    * needs no quote/lines: the item's text is the cell as written */
  bool hidden;     /* the row was hidden in the spreadsheet */
} sh_source;

typedef struct sh_item {
  char *id;
  sh_vec section;        /* char* section ids (path) */
  sh_text text;
  sh_strength strength;
  sh_expr *applies_if;   /* NULL = always applies */
  sh_expr *require;      /* NULL for manual items */
  char *applies_if_text, *require_text;
  bool manual;
  sh_vec evidence_needed; /* sh_text* */
  sh_prov min_provenance;
  char *group;           /* NULL or group name */
  sh_vec numbers;        /* char*: official numbers this one requirement stands for (`numbers:`); each also finds it */
  sh_source source;
  int line, col;         /* position of the item in its file */
  size_t index;          /* position in the framework */
  char *overlay;         /* "FILE:LINE" of the overlay entry that changed this item, or NULL */
  struct sh_framework *fw; /* back pointer */
} sh_item;

typedef struct {
  char *id;
  sh_text title;
} sh_section;

typedef struct sh_framework {
  char *id;
  char *kind;            /* "checklist" or "rules" */
  sh_text title, issuer, source, notes;
  char *version;
  sh_date date;
  bool has_date;
  sh_vec sections;       /* sh_section* */
  sh_vec items;          /* sh_item* */
  sh_strmap by_id;
  char *file;            /* path it was loaded from */
  char sha256[65];       /* hash of the file as loaded */
  char *text;            /* the file's text as loaded (owned; the store records it without reading the file again) */
  size_t text_len;
  const char *origin;    /* static: "bundled", "user", "SHINSA_DATA_PATH" or "--framework" (NULL = bundled) */
  sh_vec overlays;       /* const sh_overlay* applied to it (borrowed from the registry) */
} sh_framework;

/* Loads one framework file against vocab. Returns a new framework (free with sh_framework_free)
 * or NULL with every error found added to d. */
sh_framework *sh_framework_load(const sh_vocab *vocab, const char *path, sh_diags *d);
/* The same from the file's text already read (path names it in diagnostics). */
sh_framework *sh_framework_load_text(const sh_vocab *vocab, const char *path, const char *text, size_t len,
                                     sh_diags *d);
void sh_framework_free(sh_framework *fw);
const sh_item *sh_framework_item(const sh_framework *fw, const char *id);
const char *sh_strength_name(sh_strength s);                   /* "must", "should", "effort" */
/* For people, in lang ("ja" or "en", else ja) from the message catalog (static): must → 必須 ... */
const char *sh_strength_label(sh_strength s, const char *lang);
const char *sh_form_name(sh_form f); /* "verbatim", "paraphrase", "derived" */
const char *sh_form_label(sh_form f, const char *lang);
const char *sh_prov_name(sh_prov p); /* "declared", "attested", "probed", "confirmed": identifiers (JSON, store) */
const char *sh_prov_label(sh_prov p, const char *lang);
int sh_prov_rank(sh_prov p);
bool sh_prov_parse(const char *s, sh_prov *out);
/* The section title for an id, or NULL. */
const sh_section *sh_framework_section(const sh_framework *fw, const char *id);

/* The data directory: --data-dir, else $SHINSA_DATA_DIR, else the source tree when run from a
 * build folder, else the installed SHINSA_DATADIR. Returned string is static or owned by the registry. */
const char *sh_data_dir_default(void);

/* Every framework and rule set found in a data directory (checklists/NAME.yaml and rules/NAME.yaml files
 * that have a `framework:` key), loaded with the vocabulary rules/facts.yaml (+ rules/facts.d/NAME.yaml).
 * Owns everything. */
typedef struct {
  char *data_dir;
  sh_vocab *vocab;
  sh_vec frameworks;  /* sh_framework* sorted by id */
  sh_vec overlays;    /* sh_overlay* (overlay.h), in the order applied */
  sh_vec dirs;        /* char*: every data folder searched, bundled first */
  sh_vec dir_origins; /* const char* (static): the origin of each of dirs */
  sh_vec deferred;    /* lazy registries: framework files read but not parsed yet (framework.c), by their id */
} sh_registry;

/* Returns a registry or NULL with errors in d (a malformed installed framework is an error). */
sh_registry *sh_registry_load(const char *data_dir, sh_diags *d);

/* Where else to look, after the bundled data folder. */
typedef struct {
  bool user_dirs;               /* $XDG_DATA_HOME/shinsa (default ~/.local/share/shinsa), then every folder
                                 * of SHINSA_DATA_PATH (':'-separated) */
  const char *const *files;     /* framework or overlay files named on the command line (--framework PATH) */
  size_t nfiles;
  bool strict;                  /* lint: an overlay's framework version mismatch is an error, not a warning */
  bool lazy;                    /* check: a framework file found in a folder is read (once) and its id taken from
                                 * its `framework:` block, but it is parsed only when sh_registry_need asks for
                                 * it; sh_registry_find sees parsed frameworks only. Files named on the command
                                 * line, and files whose id cannot be read that way, are parsed at once. Two
                                 * files with the same id are still an error. */
} sh_registry_opts;

/* The bundled data folder, then the folders and files of o. Each folder may hold checklists/,
 * rules/ (frameworks), overlays/ and rules/crosswalks/ (crosswalk.h), and framework or overlay files at
 * its top. A framework id found a second time is an error naming both files. Overlays are applied
 * after every framework is loaded. */
sh_registry *sh_registry_load_ex(const char *data_dir, const sh_registry_opts *o, sh_diags *d);

/* True when a --framework argument is a path (it has a '/' or ends in .yaml/.yml), not an id. */
bool sh_framework_arg_is_path(const char *s);
/* The framework loaded from path (or the framework an overlay loaded from path extends), or NULL. */
const sh_framework *sh_registry_find_path(const sh_registry *r, const char *path);
void sh_registry_free(sh_registry *r);
const sh_framework *sh_registry_find(const sh_registry *r, const char *id);
/* sh_registry_find, parsing a deferred framework (lazy registries) when it is the one asked for (its overlays are
 * applied then). NULL when no file defines id, or after errors in d. */
const sh_framework *sh_registry_need(sh_registry *r, const char *id, sh_diags *d);
/* The known framework id (parsed or deferred) nearest to id within a small edit distance, for a did-you-mean;
 * NULL when none is close. The string belongs to the registry. */
const char *sh_registry_nearest(const sh_registry *r, const char *id);
/* Parses every deferred framework. Returns 0, or -1 after errors in d. */
int sh_registry_load_all(sh_registry *r, sh_diags *d);

/* Lists YAML files (.yaml and .yml) in dir, sorted; appends owned paths to out. Returns 0 or -1. */
int sh_list_yaml_files(const char *dir, sh_vec *out);

#endif
