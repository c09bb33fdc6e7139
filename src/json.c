/* json: streaming JSON writer. See json.h. */
#include "json.h"

#include <stdlib.h>
#include <string.h>

void sh_json_init(sh_json *j, sh_buf *out) {
  memset(j, 0, sizeof *j);
  j->out = out;
  j->first[0] = true;
}

static void indent(sh_json *j) {
  sh_buf_putc(j->out, '\n');
  for (int i = 0; i < j->depth; i++) sh_buf_puts(j->out, "  ");
}

/* Separator and indentation before a value or key at the current depth. */
static void before_value(sh_json *j) {
  if (j->after_key) {
    j->after_key = false;
    return;
  }
  if (j->depth == 0) return;
  if (!j->first[j->depth]) sh_buf_putc(j->out, ',');
  j->first[j->depth] = false;
  indent(j);
}

static void open(sh_json *j, char c) {
  before_value(j);
  sh_buf_putc(j->out, c);
  if (j->depth < 63) j->depth++;
  j->first[j->depth] = true;
}

static void close_(sh_json *j, char c) {
  bool empty = j->first[j->depth];
  j->depth--;
  if (!empty) indent(j);
  sh_buf_putc(j->out, c);
  if (j->depth == 0) sh_buf_putc(j->out, '\n');
}

void sh_json_obj_begin(sh_json *j) { open(j, '{'); }
void sh_json_obj_end(sh_json *j) { close_(j, '}'); }
void sh_json_arr_begin(sh_json *j) { open(j, '['); }
void sh_json_arr_end(sh_json *j) { close_(j, ']'); }

void sh_json_escape(sh_buf *b, const char *s) {
  /* JSON is UTF-8: a string that is not (text from a store written by hand or by an older shinsa) is written with
   * U+FFFD in place of each invalid sequence, so the document always parses. */
  size_t n = strlen(s);
  char *fixed = NULL;
  if (!sh_utf8_valid(s, n, NULL)) {
    sh_buf t = {0};
    sh_buf_put_utf8(&t, s, n);
    s = fixed = sh_buf_steal(&t);
  }
  sh_buf_putc(b, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '"': sh_buf_puts(b, "\\\""); break;
    case '\\': sh_buf_puts(b, "\\\\"); break;
    case '\n': sh_buf_puts(b, "\\n"); break;
    case '\r': sh_buf_puts(b, "\\r"); break;
    case '\t': sh_buf_puts(b, "\\t"); break;
    default:
      if (*p < 0x20) sh_buf_printf(b, "\\u%04x", *p);
      else sh_buf_putc(b, (char)*p);
    }
  }
  sh_buf_putc(b, '"');
  free(fixed);
}

void sh_json_key(sh_json *j, const char *key) {
  before_value(j);
  sh_json_escape(j->out, key);
  sh_buf_puts(j->out, ": ");
  j->after_key = true;
}

void sh_json_str(sh_json *j, const char *s) {
  before_value(j);
  if (s) sh_json_escape(j->out, s);
  else sh_buf_puts(j->out, "null");
}

void sh_json_int(sh_json *j, int64_t v) {
  before_value(j);
  sh_buf_printf(j->out, "%lld", (long long)v);
}

void sh_json_bool(sh_json *j, bool v) {
  before_value(j);
  sh_buf_puts(j->out, v ? "true" : "false");
}

void sh_json_null(sh_json *j) {
  before_value(j);
  sh_buf_puts(j->out, "null");
}

void sh_json_kstr(sh_json *j, const char *key, const char *s) {
  sh_json_key(j, key);
  sh_json_str(j, s);
}

void sh_json_kint(sh_json *j, const char *key, int64_t v) {
  sh_json_key(j, key);
  sh_json_int(j, v);
}

void sh_json_kbool(sh_json *j, const char *key, bool v) {
  sh_json_key(j, key);
  sh_json_bool(j, v);
}

void sh_json_klang(sh_json *j, const char *key, const char *ja, const char *en) {
  sh_json_key(j, key);
  sh_json_obj_begin(j);
  sh_json_kstr(j, "ja", ja);
  sh_json_kstr(j, "en", en);
  sh_json_obj_end(j);
}
