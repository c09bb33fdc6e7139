/* store_col: checked column readers for rows of a possibly damaged store. See store_col.h. */
#include "store_col.h"
#include "i18n.h"

#include <stdio.h>

void sh_col_damage(sh_colchk *k, sqlite3_stmt *st, int c, const char *why) {
  if (k->bad) return;
  k->bad = true;
  k->why = why;
  const char *t = sqlite3_column_table_name(st, c), *n = sqlite3_column_origin_name(st, c);
  snprintf(k->table, sizeof k->table, "%s", t ? t : "?");
  snprintf(k->column, sizeof k->column, "%s", n ? n : sqlite3_column_name(st, c) ? sqlite3_column_name(st, c) : "?");
}

static const char *type_why(int type) {
  return type == SQLITE_NULL   ? "NULL"
         : type == SQLITE_BLOB ? N_("a BLOB")
         : type == SQLITE_TEXT ? N_("text")
                               : N_("a number");
}

const char *sh_col_text(sh_colchk *k, sqlite3_stmt *st, int c) {
  int type = sqlite3_column_type(st, c);
  const char *s = type == SQLITE_TEXT ? (const char *)sqlite3_column_text(st, c) : NULL;
  if (!s) {
    sh_col_damage(k, st, c, type_why(type));
    return "";
  }
  return s;
}

const char *sh_col_text_opt(sh_colchk *k, sqlite3_stmt *st, int c) {
  int type = sqlite3_column_type(st, c);
  if (type == SQLITE_NULL) return NULL;
  if (type != SQLITE_TEXT) {
    sh_col_damage(k, st, c, type_why(type));
    return NULL;
  }
  return (const char *)sqlite3_column_text(st, c);
}

int64_t sh_col_int(sh_colchk *k, sqlite3_stmt *st, int c) {
  int type = sqlite3_column_type(st, c);
  if (type != SQLITE_INTEGER) {
    sh_col_damage(k, st, c, type_why(type));
    return 0;
  }
  return sqlite3_column_int64(st, c);
}

int64_t sh_col_int_opt(sh_colchk *k, sqlite3_stmt *st, int c) {
  int type = sqlite3_column_type(st, c);
  if (type == SQLITE_NULL) return 0;
  return sh_col_int(k, st, c);
}

int sh_colchk_report(const sh_colchk *k, const char *loc, const char *what, sh_diags *d) {
  if (!k->bad) return 0;
  sh_error_io(d, loc, 0, 0, "damaged store: %s.%s holds %s, which shinsa never writes there (while %s); see "
              "'shinsa log verify'", k->table, k->column, _(k->why), _(what));
  return -1;
}
