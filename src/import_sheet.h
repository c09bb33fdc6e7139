/* import_sheet: turns a checksheet spreadsheet (.xlsx/.ods/.csv, read by sheet.c) into a framework
 * file (docs/formats.md §3), and a curated mapping table into a crosswalk file (§6).
 *
 * Checksheets: columns are found from the header row by the names checksheets use (項番/No./番号,
 * 分類/大項目/中項目/項目, 確認事項/チェック項目/内容/要求事項, 必須/区分) or given as a spec
 * "id=A,section=B,text=D,strength=E" (letters or header names; section may repeat). A row with one
 * value only (or one merged value) is a heading and opens a section; section columns fill down.
 * Ids and texts are kept exactly as written; ids are compared by their NFKC key (sh_match_key).
 * Every item is manual and records {document, sheet, row, form: verbatim} (+ hidden).
 *
 * Mapping tables: columns target, sources, relation (A/B/C/D or NIST IR 8477 words) and rationale
 * or note; ids are resolved against the two frameworks by NFKC key and written as those frameworks
 * spell them.
 *
 * Errors name FILE:SHEET!CELL (FILE:LINE for CSV). The functions return a new YAML text the caller
 * frees and writes, or NULL with the errors in d (nothing is written by this module). */
#ifndef SHINSA_IMPORT_SHEET_H
#define SHINSA_IMPORT_SHEET_H

#include "diag.h"
#include "framework.h"

typedef struct {
  const char *path;      /* the spreadsheet */
  const char *id;        /* framework id to give */
  const char *sheet;     /* NULL: the first sheet with a recognisable header */
  const char *columns;   /* NULL or a column spec */
  const char *title;     /* NULL: the file name */
  const char *version;   /* NULL: "imported" */
  const char *encoding;  /* CSV: NULL to detect */
} sh_checksheet_opts;

typedef struct {
  size_t items, sections, hidden;
  char *sheet;           /* the sheet read (owned) */
} sh_import_stats;

char *sh_import_checksheet(const sh_checksheet_opts *o, sh_import_stats *st, sh_diags *d);

typedef struct {
  const char *path;
  const sh_framework *from, *to;  /* source (held) and target frameworks */
  const char *sheet, *columns, *encoding;
} sh_mapping_opts;

/* counts[0..4] = relations of class A, B, C, D, and rows skipped as empty. */
char *sh_import_mapping(const sh_mapping_opts *o, size_t counts[5], sh_diags *d);

/* Parses a relation word (A/B/C/D, superset(-of), equal(-to), equivalent-to, subset(-of),
 * intersect(s-with), no-relationship; case and width aside). Returns the word to write in a
 * crosswalk file ("superset", "equal", "subset", "intersect", "no-relationship") or NULL. */
const char *sh_relation_word(const char *s);

#endif
