/* oscal_out: OSCAL XML/JSON writer, UUIDs and tokens. See oscal_out.h. */
#include "oscal_out.h"

#include "clock.h"
#include "i18n.h"

#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static void xml_esc(sh_buf *b, const char *s, bool attr) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '&': sh_buf_puts(b, "&amp;"); break;
    case '<': sh_buf_puts(b, "&lt;"); break;
    case '>': sh_buf_puts(b, "&gt;"); break;
    case '"': sh_buf_puts(b, attr ? "&quot;" : "\""); break;
    case '\n': sh_buf_puts(b, attr ? "&#10;" : "\n"); break;
    case '\t': sh_buf_puts(b, attr ? "&#9;" : "\t"); break;
    case '\r': sh_buf_puts(b, "&#13;"); break;
    default:
      if (*p >= 0x20) sh_buf_putc(b, (char)*p); /* other C0 controls cannot appear in XML 1.0: dropped */
    }
  }
}

static void indent(sh_oscal_out *o) {
  sh_buf_putc(o->out, '\n');
  for (int i = 0; i < o->depth; i++) sh_buf_puts(o->out, "  ");
}

static void finish_tag(sh_oscal_out *o) {
  if (o->open_tag) {
    sh_buf_putc(o->out, '>');
    o->open_tag = false;
  }
}

void sh_oo_begin(sh_oscal_out *o, sh_buf *out, bool xml, const char *root) {
  memset(o, 0, sizeof *o);
  o->xml = xml;
  o->out = out;
  if (xml) {
    sh_buf_printf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<%s xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\"", root);
    o->names[0] = root;
    o->depth = 1;
    o->open_tag = true;
  } else {
    sh_json_init(&o->j, out);
    sh_json_obj_begin(&o->j);
    sh_json_key(&o->j, root);
    sh_json_obj_begin(&o->j);
    o->depth = 1;
  }
}

void sh_oo_open(sh_oscal_out *o, const char *name) {
  if (o->xml) {
    finish_tag(o);
    o->has_child[o->depth - 1] = true;
    indent(o);
    sh_buf_printf(o->out, "<%s", name);
    o->names[o->depth] = name;
    o->has_child[o->depth] = false;
    o->depth++;
    o->open_tag = true;
  } else {
    if (!o->in_list[o->depth - 1]) sh_json_key(&o->j, name);
    sh_json_obj_begin(&o->j);
    o->in_list[o->depth++] = false;
  }
}

void sh_oo_close(sh_oscal_out *o) {
  if (o->xml) {
    o->depth--;
    if (o->open_tag) {
      sh_buf_puts(o->out, "/>");
      o->open_tag = false;
    } else {
      if (o->has_child[o->depth]) indent(o);
      sh_buf_printf(o->out, "</%s>", o->names[o->depth]);
    }
  } else {
    sh_json_obj_end(&o->j);
    o->depth--;
  }
}

void sh_oo_end(sh_oscal_out *o) {
  while (o->depth > 1) sh_oo_close(o);
  if (o->xml) {
    o->depth = 1;
    sh_oo_close(o);
  } else {
    sh_json_obj_end(&o->j);
    sh_json_obj_end(&o->j);
  }
  sh_buf_putc(o->out, '\n');
}

void sh_oo_flag(sh_oscal_out *o, const char *name, const char *v) {
  if (!v) return;
  if (o->xml) {
    sh_buf_printf(o->out, " %s=\"", name);
    xml_esc(o->out, v, true);
    sh_buf_putc(o->out, '"');
  } else {
    sh_json_kstr(&o->j, name, v);
  }
}

void sh_oo_field(sh_oscal_out *o, const char *name, const char *v) {
  if (!v) return;
  if (o->xml) {
    finish_tag(o);
    o->has_child[o->depth - 1] = true;
    indent(o);
    sh_buf_printf(o->out, "<%s>", name);
    xml_esc(o->out, v, false);
    sh_buf_printf(o->out, "</%s>", name);
  } else if (o->in_list[o->depth - 1]) {
    sh_json_str(&o->j, v);
  } else {
    sh_json_kstr(&o->j, name, v);
  }
}

void sh_oo_value(sh_oscal_out *o, const char *v) {
  if (o->xml) {
    finish_tag(o);
    xml_esc(o->out, v, false);
    o->has_child[o->depth - 1] = false;
  } else {
    sh_json_kstr(&o->j, "value", v);
  }
}

void sh_oo_markup(sh_oscal_out *o, const char *name, const char *text) {
  if (!text) return;
  if (!o->xml) {
    if (o->in_list[o->depth - 1]) sh_json_str(&o->j, text);
    else sh_json_kstr(&o->j, name, text);
    return;
  }
  finish_tag(o);
  o->has_child[o->depth - 1] = true;
  indent(o);
  sh_buf_printf(o->out, "<%s>", name);
  const char *p = text;
  while (*p) {
    const char *e = strstr(p, "\n\n");
    size_t n = e ? (size_t)(e - p) : strlen(p);
    char *para = sh_strndup(p, n);
    sh_buf_puts(o->out, "<p>");
    xml_esc(o->out, para, false);
    sh_buf_puts(o->out, "</p>");
    free(para);
    p += n;
    while (*p == '\n') p++;
  }
  if (!*text) sh_buf_puts(o->out, "<p/>");
  sh_buf_printf(o->out, "</%s>", name);
}

void sh_oo_list(sh_oscal_out *o, const char *group) {
  if (o->xml) return;
  sh_json_key(&o->j, group);
  sh_json_arr_begin(&o->j);
  o->in_list[o->depth++] = true;
}

void sh_oo_list_end(sh_oscal_out *o) {
  if (o->xml) return;
  sh_json_arr_end(&o->j);
  o->depth--;
}

void sh_oo_prop(sh_oscal_out *o, const char *name, const char *value, const char *ns) {
  if (!value || !*value) return;
  sh_oo_open(o, "prop");
  sh_oo_flag(o, "name", name);
  sh_oo_flag(o, "value", value);
  sh_oo_flag(o, "ns", ns);
  sh_oo_close(o);
}

/* ---------- UUIDs, tokens, time ---------- */

void sh_uuid4(char buf[37]) {
  unsigned char r[16];
  if (RAND_bytes(r, sizeof r) != 1) {
    fprintf(stderr, "shinsa: %s\n", _("libcrypto could not produce random bytes for a UUID"));
    abort();
  }
  r[6] = (unsigned char)((r[6] & 0x0F) | 0x40);
  r[8] = (unsigned char)((r[8] & 0x3F) | 0x80);
  snprintf(buf, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3],
           r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
}

static bool cat_letter(utf8proc_int32_t c) {
  utf8proc_category_t k = utf8proc_category(c);
  return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO;
}
static bool cat_number(utf8proc_int32_t c) {
  utf8proc_category_t k = utf8proc_category(c);
  return k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO;
}

static bool is_token(const char *s) {
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
  bool first = true;
  if (!*p) return false;
  while (*p) {
    utf8proc_int32_t c;
    utf8proc_ssize_t n = utf8proc_iterate(p, -1, &c);
    if (n <= 0) return false;
    bool ok = cat_letter(c) || c == '_' || (!first && (cat_number(c) || c == '.' || c == '-'));
    if (!ok) return false;
    first = false;
    p += n;
  }
  return true;
}

char *sh_oscal_token(const char *id) {
  if (is_token(id) && strncmp(id, "id_", 3) != 0) return sh_strdup(id);
  sh_buf b = {0};
  sh_buf_puts(&b, "id_");
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)id;
  while (*p) {
    utf8proc_int32_t c;
    utf8proc_ssize_t n = utf8proc_iterate(p, -1, &c);
    if (n <= 0) n = 1, c = -1;
    if (c >= 0 && c != '_' && (cat_letter(c) || cat_number(c) || c == '.' || c == '-')) sh_buf_put(&b, (const char *)p, (size_t)n);
    else
      for (utf8proc_ssize_t i = 0; i < n; i++) sh_buf_printf(&b, "_%02X", p[i]);
    p += n;
  }
  return sh_buf_steal(&b);
}

static int hexv(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

char *sh_oscal_untoken(const char *token) {
  if (strncmp(token, "id_", 3) != 0) return NULL;
  sh_buf b = {0};
  for (const char *p = token + 3; *p; p++) {
    if (*p == '_') {
      int h = p[1] ? hexv(p[1]) : -1, l = h >= 0 && p[2] ? hexv(p[2]) : -1;
      if (h < 0 || l < 0) {
        sh_buf_free(&b);
        return NULL;
      }
      sh_buf_putc(&b, (char)(h * 16 + l));
      p += 2;
    } else {
      sh_buf_putc(&b, *p);
    }
  }
  return sh_buf_steal(&b);
}

void sh_oscal_now(char buf[32]) { sh_now_iso(buf); }
