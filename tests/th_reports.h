/* th_reports: the reports of the bundled examples in every view × format × language, as comparable text, for
 * the golden-file test (test_golden.c) and the language test (test_lang.c).
 *
 * One `shinsa check` run per example × view × language writes every format at once (--out per extension),
 * with "now" fixed (SHINSA_NOW) so that the OSCAL timestamps are stable. What is compared:
 *   - text, md, html, json, csv: the bytes as written;
 *   - xlsx: a dump of the workbook read back with shinsa's own reader (src/sheet.h) — sheet names, every
 *     non-empty cell as "SHEET!A1: value" — plus what the XML says that the reader does not: sheet
 *     protection, hidden columns, unlocked cells, merged ranges, data validations, hyperlinks, page header and
 *     footer, formula cells (none expected). docProps (creation time) are left out;
 *   - OSCAL assessment results (XML, JSON): the document with its random UUIDs replaced by "uuid-N" in
 *     order of first appearance (references keep pointing at the same N).
 * Ownership: everything returned is owned by the caller (th_report_set_free frees a set). */
#ifndef SHINSA_TEST_REPORTS_H
#define SHINSA_TEST_REPORTS_H

#include <stddef.h>

/* The instant every report run is given (SHINSA_NOW). */
#define TH_REPORT_NOW "2026-10-01T03:00:00Z"

extern const char *const th_examples[];  /* "phr-operator", "infobank-health", NULL */
extern const char *const th_views[];     /* "auditor", "applicant", "ethics", NULL */
extern const char *const th_langs[];     /* "ja", "en", NULL */

typedef enum {
  TH_RF_TEXT,
  TH_RF_MD,
  TH_RF_HTML,
  TH_RF_JSON,
  TH_RF_CSV,
  TH_RF_XLSX,
  TH_RF_OSCAL_XML,
  TH_RF_OSCAL_JSON,
  TH_RF__COUNT
} th_report_format;

/* The suffix --out is given for a format ("txt", "oscal.json"...). */
extern const char *const th_report_ext[TH_RF__COUNT];
/* The golden file of a report, relative to the source root: tests/golden/EXAMPLE/VIEW.LANG.EXT, with
 * "xlsx.txt" for the workbook dump and tests/golden/EXAMPLE/oscal-ar.LANG.{xml,json} for OSCAL (which
 * does not depend on the view). Caller frees. */
char *th_golden_path(const char *example, const char *view, const char *lang, th_report_format f);

typedef struct {
  char *text[TH_RF__COUNT]; /* comparable text of each format (see above) */
} th_report_set;

/* Runs `shinsa check --view VIEW --lang LANG --out ... examples/EXAMPLE` from the source root (asserting exit 1,
 * the examples' findings) and fills set. */
void th_report_set_make(th_report_set *set, const char *example, const char *view, const char *lang);
/* The same from recorded run RUN of store DB: `shinsa report RUN --db DB --data-dir SOURCE_ROOT ...` (exit 1). */
void th_report_set_from_run(th_report_set *set, const char *db, const char *run, const char *view, const char *lang);
void th_report_set_free(th_report_set *set);

/* The dump of an XLSX workbook described above. Asserts the file reads. Caller frees. */
char *th_xlsx_dump(const char *path);
/* text with every UUID (8-4-4-4-12 hex) replaced by "uuid-N", N counted from 1 in order of first appearance.
 * Caller frees. */
char *th_uuid_normalise(const char *text);

#endif
