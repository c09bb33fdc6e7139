/* answers_import: reads a filled checksheet back (the XLSX of `check --format xlsx`, as edited in Excel or
 * LibreOffice; also .ods or .csv with the same header row, read by sheet.c) and updates the package's
 * answers. Each framework sheet is found by its header row (checksheet.h), each row by its hidden
 * FRAMEWORK:ITEM key; the applicant's columns (status, planned date or reason, answer) are compared with the
 * package's answers and only the rows that differ are imported. They go to the answers file
 * (`answers_file:`, default DIR/answers.yaml: rewritten whole, shinsa-written), never into evidence.yaml,
 * which keeps every comment and line (one `answers_file:` line is appended when missing). Nothing is written
 * unless the whole sheet is valid and the package loads with the new answers; errors name FILE:SHEET!CELL. */
#ifndef SHINSA_ANSWERS_IMPORT_H
#define SHINSA_ANSWERS_IMPORT_H

#include "evidence.h"

typedef struct {
  size_t rows;        /* item rows read */
  size_t changed;     /* answers written (new or different) */
  sh_vec keys;        /* char* "FRAMEWORK:ITEM" of the changed answers, in sheet order (owned) */
  char *answers_file; /* the file written, relative to the package (owned), or NULL when nothing changed */
  bool appended;      /* answers_file: was appended to evidence.yaml */
} sh_answers_import_stats;

/* Imports xlsx into the package dir. Returns 0 (also when nothing changed) or -1 with errors in d. */
int sh_answers_import(const sh_registry *reg, const char *xlsx, const char *dir, sh_answers_import_stats *st,
                      sh_diags *d);
void sh_answers_import_stats_free(sh_answers_import_stats *st);

#endif
