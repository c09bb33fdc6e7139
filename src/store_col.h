/* store_col: reading column values from the store, which may be damaged. A store can be edited behind shinsa's back
 * (a NULL written into a NOT NULL column after the constraint was removed, text where a number belongs, a BLOB);
 * shinsa must then say "damaged store" (exit 2), never crash. Every reader here returns a usable value ("" or 0
 * for a damaged required value) and records the first damaged column in the caller's sh_colchk; the caller
 * reports it with sh_colchk_report after the rows are read. Strings returned are owned by the statement (valid
 * until the next step/reset/finalize), as with sqlite3_column_text. */
#ifndef SHINSA_STORE_COL_H
#define SHINSA_STORE_COL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "diag.h"

typedef struct {
  bool bad;
  char table[48], column[48]; /* of the first damaged value */
  const char *why;            /* what it holds instead: "NULL", "a BLOB", "text", "a number", or the caller's */
} sh_colchk;

/* Required text (TEXT): "" and damage when NULL or of another type. */
const char *sh_col_text(sh_colchk *k, sqlite3_stmt *st, int c);
/* Optional text: NULL when NULL; damage (and NULL) when of another type than TEXT. */
const char *sh_col_text_opt(sh_colchk *k, sqlite3_stmt *st, int c);
/* Required integer: 0 and damage when NULL or not an INTEGER. */
int64_t sh_col_int(sh_colchk *k, sqlite3_stmt *st, int c);
/* Optional integer: 0 when NULL; damage when of another type. */
int64_t sh_col_int_opt(sh_colchk *k, sqlite3_stmt *st, int c);
/* Marks damage found by the caller (a value that does not parse), naming the column c of st. */
void sh_col_damage(sh_colchk *k, sqlite3_stmt *st, int c, const char *why);

/* When k holds damage: adds an I/O error (exit 2) "damaged store: TABLE.COLUMN holds WHY, which shinsa never writes
 * there (while WHAT); see 'shinsa log verify'" at loc and returns -1; otherwise 0. */
int sh_colchk_report(const sh_colchk *k, const char *loc, const char *what, sh_diags *d);

#endif
