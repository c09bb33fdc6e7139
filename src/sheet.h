/* sheet: a streaming reader for spreadsheets (.xlsx, .ods) and CSV files, row by row.
 *
 * XLSX and ODS are ZIP archives of XML: members are read with libzip and parsed with libxml2's
 * streaming xmlTextReader (no DOM of a sheet is ever built), so memory stays bounded by the widest
 * row, the shared-string table and the merged ranges, not by the number of rows. Every archive member
 * is checked before it is read: its declared size (SH_SHEET_MAX_MEMBER) and compression ratio
 * (SH_SHEET_MAX_RATIO) bound a ZIP bomb; encrypted members, an encrypted ODS package and an Office
 * "encrypted package" (a CFB file) are refused. CSV files are UTF-8 (with or without BOM) or
 * CP932/Shift_JIS (detected, or given), converted to UTF-8 with iconv while streaming.
 *
 * What a row gives: its 1-based row number (CSV: the line the record starts on), whether the row is
 * hidden, and one string per column, "" for an empty cell. Cells show the text as stored: shared and
 * inline strings, formula results, numbers stored as numbers in their stored form (XLSX "<v>") or the
 * displayed text (ODS "<text:p>"). A merged range's value (its top-left cell) is given to every cell
 * of the range, across rows too.
 *
 * Errors go to an sh_diags list with locations: "FILE:SHEET!CELL" (e.g. "a.xlsx:Sheet1!D17") for
 * cells, "FILE:MEMBER:LINE" for broken XML inside an archive, "FILE:LINE" for CSV.
 *
 * Ownership: sh_sheet_open returns a reader the caller frees with sh_sheet_close. Sheet names and
 * the row returned by sh_sheet_next are owned by the reader: a row is valid until the next call to
 * sh_sheet_next, sh_sheet_select or sh_sheet_close. */
#ifndef SHINSA_SHEET_H
#define SHINSA_SHEET_H

#include "diag.h"

#define SH_SHEET_MAX_MEMBER ((size_t)512 * 1024 * 1024) /* uncompressed bytes of one archive member */
#define SH_SHEET_MAX_RATIO 200                         /* uncompressed / compressed, for members > 1 MiB */
#define SH_SHEET_MAX_COLS 16384                        /* XFD, the last Excel column */
#define SH_SHEET_MAX_CELL ((size_t)1024 * 1024)         /* bytes in one cell */
#define SH_SHEET_MAX_CSV ((size_t)1024 * 1024 * 1024)   /* bytes of a CSV file */
/* Bounds on the work a small file can ask for (a merge over A1:XFD1048576, rows repeated a million times): */
#define SH_SHEET_MAX_MERGES 100000                     /* merged ranges in a sheet */
#define SH_SHEET_MAX_MERGE_COPIES ((size_t)2 * 1000 * 1000) /* cells filled from merged ranges in a sheet */
#define SH_SHEET_MAX_ROWS (1 << 24)                    /* row number (16,777,216) */
#define SH_SHEET_MAX_CELLS ((size_t)50 * 1000 * 1000)  /* cells returned from one sheet, merged copies included */

typedef enum { SH_SHEET_XLSX, SH_SHEET_ODS, SH_SHEET_CSV } sh_sheet_format;

typedef struct {
  int row;       /* 1-based row number in the sheet (CSV: record number, as a spreadsheet shows it) */
  int line;      /* CSV: line of the record's first character (a cell may hold line breaks); else 0 */
  bool hidden;   /* hidden (or collapsed/filtered) row */
  size_t ncols;  /* number of cells, trailing empty cells not counted */
  char **cells;  /* ncols UTF-8 strings, never NULL ("" for empty) */
  bool *copied;  /* ncols flags: the value was copied from a merged range's top-left cell elsewhere */
} sh_sheet_row;

typedef struct sh_sheet sh_sheet;

/* Opens path. The format comes from the suffix (.xlsx/.xlsm, .ods, .csv/.txt) or, when the suffix
 * says nothing, from the content. encoding (CSV only): NULL or "auto" to detect (BOM, else UTF-8 when
 * the whole file is valid UTF-8, else CP932), or an iconv name ("UTF-8", "CP932", "SHIFT_JIS", ...).
 * Returns NULL with an error in d when the file cannot be read, is encrypted, or is not a spreadsheet. */
sh_sheet *sh_sheet_open(const char *path, const char *encoding, sh_diags *d);
void sh_sheet_close(sh_sheet *s);

sh_sheet_format sh_sheet_get_format(const sh_sheet *s);
/* The sheets in workbook order (CSV: one sheet named after the file). */
size_t sh_sheet_count(const sh_sheet *s);
const char *sh_sheet_name(const sh_sheet *s, size_t i);
bool sh_sheet_is_hidden(const sh_sheet *s, size_t i);
/* Index of the sheet with that name, or -1. */
int sh_sheet_find(const sh_sheet *s, const char *name);

/* Starts reading sheet i from its first row. Returns 0, or -1 with an error in d. */
int sh_sheet_select(sh_sheet *s, size_t i, sh_diags *d);
/* Next row that has at least one non-empty cell (or is the first row after a gap: rows are never
 * invented; empty rows are skipped). Returns 1 with *row set, 0 at the end of the sheet, -1 on an
 * error (added to d; the sheet cannot be read further). */
int sh_sheet_next(sh_sheet *s, const sh_sheet_row **row, sh_diags *d);

/* Column letters of a 0-based column ("A", "Z", "AA"...) into buf (at least 4 bytes). */
void sh_sheet_col_name(size_t col, char buf[8]);
/* Parses column letters ("D", "aa") into a 0-based column. Returns -1 when not letters or too far. */
long sh_sheet_col_parse(const char *s);
/* The location of a cell of row r for a message: "FILE:SHEET!D17" (CSV: "FILE:LINE" with the
 * record's line; col is then ignored). col may be (size_t)-1 for the whole row ("FILE:SHEET!17:17").
 * Caller frees. */
char *sh_sheet_where(const sh_sheet *s, const sh_sheet_row *r, size_t col);
/* The file name given to sh_sheet_open and the selected sheet's name. */
const char *sh_sheet_path(const sh_sheet *s);
const char *sh_sheet_current(const sh_sheet *s);

/* Key for matching ids and header names: NFKC (utf8proc), case folded, every white space removed,
 * so that "１－２" matches "1-2" and "No ." matches "no.". What is shown is never this key.
 * Caller frees. Never NULL (invalid UTF-8 is matched as given). */
char *sh_match_key(const char *s);

#endif
