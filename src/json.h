/* json: a small streaming JSON writer into an sh_buf, with correct string escaping and
 * two-space indentation (stable output for golden tests). */
#ifndef SHINSA_JSON_H
#define SHINSA_JSON_H

#include "util.h"

typedef struct {
  sh_buf *out;   /* borrowed */
  int depth;
  bool first[64]; /* per depth: no element written yet */
  bool after_key;
} sh_json;

void sh_json_init(sh_json *j, sh_buf *out);
void sh_json_obj_begin(sh_json *j);
void sh_json_obj_end(sh_json *j);
void sh_json_arr_begin(sh_json *j);
void sh_json_arr_end(sh_json *j);
void sh_json_key(sh_json *j, const char *key);
void sh_json_str(sh_json *j, const char *s); /* NULL writes null */
void sh_json_int(sh_json *j, int64_t v);
void sh_json_bool(sh_json *j, bool v);
void sh_json_null(sh_json *j);
/* Key plus value shorthands. */
void sh_json_kstr(sh_json *j, const char *key, const char *s);
void sh_json_kint(sh_json *j, const char *key, int64_t v);
void sh_json_kbool(sh_json *j, const char *key, bool v);
/* key: {"ja": ja, "en": en} (either may be NULL, written as null). */
void sh_json_klang(sh_json *j, const char *key, const char *ja, const char *en);
/* Appends s as a JSON string literal (quotes included) to b. */
void sh_json_escape(sh_buf *b, const char *s);

#endif
