/* answers: reading, checking and writing the applicant's per-item answers. See answers.h. */
#include "answers.h"
#include "i18n.h"

#include "i18n.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const status_names[SH_ANS__COUNT] = {"implemented", "partial", "planned", "not_applicable"};
/* TRANSLATORS: the applicant's status of an item (対応状況): implemented 実施済み, partly implemented 一部実施,
 * planned 実施予定, does not apply 該当なし ("not applicable" is the verdict 対象外) */
static const char *const status_en[SH_ANS__COUNT] = {N_("implemented"), N_("partly implemented"), N_("planned"),
                                                     N_("does not apply")};

const char *sh_answer_status_name(sh_answer_status s) { return s < SH_ANS__COUNT ? status_names[s] : "?"; }

const char *sh_answer_status_label(sh_answer_status s, const char *lang) {
  if (s >= SH_ANS__COUNT) return "?";
  return sh_tr(lang, status_en[s]);
}

/* A status cell reads as its name or its label in either language (a checksheet filled in Japanese or English;
 * "not applicable" is how English sheets written before the catalog said "does not apply"). */
bool sh_answer_status_parse(const char *s, sh_answer_status *out) {
  for (int k = 0; s && k < SH_ANS__COUNT; k++)
    if (strcmp(s, status_names[k]) == 0 || strcmp(s, sh_tr("ja", status_en[k])) == 0 || strcmp(s, status_en[k]) == 0 ||
        (k == SH_ANS_NOT_APPLICABLE && strcmp(s, "not applicable") == 0)) {
      *out = (sh_answer_status)k;
      return true;
    }
  return false;
}

void sh_answer_free(void *p) {
  sh_answer *a = p;
  if (!a) return;
  free(a->framework);
  free(a->item);
  free(a->reason);
  free(a->text.ja);
  free(a->text.en);
  free(a->origin);
  for (size_t k = 0; k < a->refs.n; k++) {
    sh_answer_ref *r = a->refs.v[k];
    free(r->at);
    free(r);
  }
  sh_vec_free(&a->refs);
  free(a);
}

static const sh_document *find_document(const sh_evidence *ev, const char *path, const char **near) {
  size_t bd = 4;
  *near = NULL;
  for (size_t i = 0; i < ev->documents.n; i++) {
    const sh_document *dc = ev->documents.v[i];
    if (strcmp(dc->path, path) == 0) return dc;
    sh_nearest(path, dc->path, near, &bd);
  }
  return NULL;
}

static void load_refs(sh_evidence *ev, sh_answer *a, const sh_ydoc *doc, const sh_ynode *n, sh_diags *d) {
  static const char *const keys[] = {"document", "at", NULL};
  if (!sh_y_expect(doc, n, SH_Y_SEQ, "refs", d)) return;
  for (size_t i = 0; i < n->n; i++) {
    const sh_ynode *e = n->items[i];
    if (!sh_y_expect(doc, e, SH_Y_MAP, N_("a reference ({document: PATH, at: PAGE-OR-SECTION})"), d)) continue;
    sh_y_check_keys(doc, e, keys, N_("a reference"), d);
    const sh_ynode *v = sh_y_require(doc, e, "document", N_("a reference"), d);
    const char *path = v ? sh_y_str(doc, v, "document", d) : NULL;
    if (!path) continue;
    const char *near = NULL;
    const sh_document *dc = find_document(ev, path, &near);
    if (!dc) {
      if (near)
        sh_error(d, doc->file, v->line, v->col, "document '%s' is not listed under documents: (did you mean '%s'?)",
                 path, near);
      else
        sh_error(d, doc->file, v->line, v->col, "document '%s' is not listed under documents: (list it there with "
                 "its sha256 first)", path);
      continue;
    }
    sh_answer_ref *r = sh_calloc(1, sizeof *r);
    r->document = dc;
    r->line = e->line;
    r->col = e->col;
    const char *at;
    if ((v = sh_ymap_get(e, "at")) && (at = sh_y_str(doc, v, "at", d))) r->at = sh_strdup(at);
    sh_vec_push(&a->refs, r);
  }
}

static void put_answer(sh_evidence *ev, sh_answer *a) {
  for (size_t i = 0; i < ev->answers.n; i++) {
    sh_answer *o = ev->answers.v[i];
    if (strcmp(o->framework, a->framework) == 0 && strcmp(o->item, a->item) == 0) {
      sh_answer_free(o);
      ev->answers.v[i] = a;
      return;
    }
  }
  sh_vec_push(&ev->answers, a);
}

void sh_answers_load(sh_evidence *ev, const sh_ydoc *doc, const sh_ynode *n, sh_diags *d) {
  static const char *const keys[] = {"status", "planned_by", "reason", "answer", "refs", NULL};
  if (n->kind == SH_Y_SCALAR && n->plain && (n->len == 0 || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0))
    return; /* `answers:` with nothing under it yet (the scaffold of shinsa init) */
  if (!sh_y_expect(doc, n, SH_Y_MAP, "answers", d)) return;
  for (size_t i = 0; i < n->n; i++) {
    const sh_ynode *k = n->pairs[i].key, *e = n->pairs[i].val;
    const char *key = sh_y_str(doc, k, N_("answer key"), d);
    if (!key) continue;
    const char *colon = strchr(key, ':');
    if (!colon || colon == key || !colon[1]) {
      sh_error(d, doc->file, k->line, k->col, "answer key '%s' must be FRAMEWORK:ITEM (e.g. \"phr-2023:3.1/2-1\")", key);
      continue;
    }
    if (!sh_y_expect(doc, e, SH_Y_MAP, N_("an answer"), d)) continue;
    size_t before = d->nerrors;
    sh_y_check_keys(doc, e, keys, N_("an answer"), d);
    sh_answer *a = sh_calloc(1, sizeof *a);
    a->framework = sh_strndup(key, (size_t)(colon - key));
    a->item = sh_strdup(colon + 1);
    a->origin = sh_strdup(doc->file);
    a->line = k->line;
    a->col = k->col;
    const sh_ynode *v;
    const char *s;
    if ((v = sh_y_require(doc, e, "status", N_("an answer"), d)) && (s = sh_y_str(doc, v, "status", d)) &&
        !sh_answer_status_parse(s, &a->status))
      sh_error(d, doc->file, v->line, v->col,
               "unknown answer status '%s' (expected implemented, partial, planned or not_applicable)", s);
    if ((v = sh_ymap_get(e, "planned_by"))) {
      if (a->status != SH_ANS_PLANNED)
        sh_error(d, doc->file, v->line, v->col, "planned_by belongs to status: planned only");
      else
        sh_y_date(doc, v, &a->planned_by, "planned_by", d);
    } else if (a->status == SH_ANS_PLANNED && d->nerrors == before) {
      sh_error(d, doc->file, e->line, e->col, "status: planned needs planned_by: YYYY-MM-DD (when it will be in place)");
    }
    if ((v = sh_ymap_get(e, "reason"))) {
      if (a->status != SH_ANS_NOT_APPLICABLE)
        sh_error(d, doc->file, v->line, v->col, "reason belongs to status: not_applicable only (write the answer under answer:)");
      else if ((s = sh_y_str(doc, v, "reason", d)) && *s)
        a->reason = sh_strdup(s);
    }
    if (a->status == SH_ANS_NOT_APPLICABLE && !a->reason && d->nerrors == before)
      sh_error(d, doc->file, e->line, e->col, "status: not_applicable needs a reason: (why the item does not apply)");
    if ((v = sh_ymap_get(e, "answer"))) {
      sh_y_text(doc, v, &a->text.ja, &a->text.en, "answer", d);
      if (a->text.ja && !*a->text.ja) {
        free(a->text.ja);
        a->text.ja = NULL;
      }
    }
    if ((v = sh_ymap_get(e, "refs"))) load_refs(ev, a, doc, v, d);
    if (d->nerrors != before) {
      sh_answer_free(a);
      continue;
    }
    put_answer(ev, a);
  }
}

void sh_answers_load_file(sh_evidence *ev, const char *abs, const char *rel, const sh_ydoc *from, const sh_ynode *at,
                          sh_diags *d) {
  char *text = NULL;
  size_t len = 0;
  char *name = sh_path_join(ev->dir, rel);
  (void)abs;
  char *what = sh_printf(_("the answers file '%s'"), rel);
  size_t before = d->nerrors;
  /* inside the package, links included (fileio.h); a refusal is reported there */
  int fd = sh_open_inside(ev->dir, rel, 0, &(sh_fref){{from->file, at->line, at->col}, what, false}, d);
  free(what);
  int rc = fd < 0 ? -1 : sh_read_fd(fd, SH_YAML_MAX_BYTES, &text, &len);
  int err = errno;
  if (fd >= 0) close(fd);
  if (rc != 0) {
    if (d->nerrors == before)
      sh_error_io(d, from->file, at->line, at->col, "cannot read the answers file '%s': %s", rel, sh_fio_strerror(err));
    free(name);
    return;
  }
  sh_ydoc *doc = memchr(text, '\0', len) ? NULL : sh_ydoc_load_string(name, text, len, d);
  if (!doc && memchr(text, '\0', len)) sh_error(d, name, 0, 0, "NUL byte in YAML file");
  free(text);
  if (doc) {
    static const char *const keys[] = {"answers", NULL};
    const sh_ynode *root = doc->root;
    if (!root || root->kind != SH_Y_MAP) {
      sh_error(d, name, root ? root->line : 1, root ? root->col : 1, "the answers file must be a mapping with answers:");
    } else {
      sh_y_check_keys(doc, root, keys, N_("the answers file"), d);
      const sh_ynode *v = sh_ymap_get(root, "answers");
      if (v) sh_answers_load(ev, doc, v, d);
    }
  }
  sh_ydoc_free(doc);
  free(name);
}

size_t sh_answers_check(const sh_evidence *ev, const sh_registry *reg, sh_diags *d) {
  size_t before = d->nerrors;
  for (size_t i = 0; i < ev->answers.n; i++) {
    const sh_answer *a = ev->answers.v[i];
    const sh_framework *fw = sh_registry_find(reg, a->framework);
    if (!fw) {
      const char *near = sh_registry_nearest(reg, a->framework);
      if (near)
        sh_error(d, a->origin, a->line, a->col, "unknown framework '%s' in answer key '%s:%s' (did you mean '%s'?)",
                 a->framework, a->framework, a->item, near);
      else
        sh_error(d, a->origin, a->line, a->col, "unknown framework '%s' in answer key '%s:%s' (see 'shinsa frameworks')",
                 a->framework, a->framework, a->item);
      continue;
    }
    if (sh_framework_item(fw, a->item)) continue;
    const char *near = NULL;
    size_t bd = 4;
    for (size_t k = 0; k < fw->items.n; k++) sh_nearest(a->item, ((const sh_item *)fw->items.v[k])->id, &near, &bd);
    if (near)
      sh_error(d, a->origin, a->line, a->col, "%s has no item '%s' (did you mean '%s:%s'?)", fw->id, a->item, fw->id, near);
    else
      sh_error(d, a->origin, a->line, a->col, "%s has no item '%s' (see 'shinsa frameworks' or the checksheet)", fw->id,
               a->item);
  }
  return d->nerrors - before;
}

const sh_answer *sh_answer_find(const sh_evidence *ev, const char *framework, const char *item) {
  for (size_t i = 0; i < ev->answers.n; i++) {
    const sh_answer *a = ev->answers.v[i];
    if (strcmp(a->framework, framework) == 0 && strcmp(a->item, item) == 0) return a;
  }
  return NULL;
}

void sh_yaml_quote(sh_buf *b, const char *s) {
  sh_buf_putc(b, '"');
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    switch (*p) {
    case '"': sh_buf_puts(b, "\\\""); break;
    case '\\': sh_buf_puts(b, "\\\\"); break;
    case '\n': sh_buf_puts(b, "\\n"); break;
    case '\r': sh_buf_puts(b, "\\r"); break;
    case '\t': sh_buf_puts(b, "\\t"); break;
    default:
      if (*p < 0x20 || *p == 0x7f) sh_buf_printf(b, "\\x%02x", *p);
      else sh_buf_putc(b, (char)*p);
    }
  }
  sh_buf_putc(b, '"');
}

void sh_answer_write_yaml(sh_buf *b, const sh_answer *a) {
  char *key = sh_printf("%s:%s", a->framework, a->item);
  sh_buf_puts(b, "  ");
  sh_yaml_quote(b, key);
  free(key);
  sh_buf_printf(b, ":\n    status: %s\n", sh_answer_status_name(a->status));
  if (a->status == SH_ANS_PLANNED) {
    char dt[11];
    sh_date_format(a->planned_by, dt);
    sh_buf_printf(b, "    planned_by: %s\n", dt);
  }
  if (a->reason) {
    sh_buf_puts(b, "    reason: ");
    sh_yaml_quote(b, a->reason);
    sh_buf_putc(b, '\n');
  }
  if (a->text.ja && a->text.en) {
    sh_buf_puts(b, "    answer:\n      ja: ");
    sh_yaml_quote(b, a->text.ja);
    sh_buf_puts(b, "\n      en: ");
    sh_yaml_quote(b, a->text.en);
    sh_buf_putc(b, '\n');
  } else if (a->text.ja || a->text.en) {
    sh_buf_puts(b, "    answer: ");
    sh_yaml_quote(b, a->text.ja ? a->text.ja : a->text.en);
    sh_buf_putc(b, '\n');
  }
  if (a->refs.n) {
    sh_buf_puts(b, "    refs:\n");
    for (size_t k = 0; k < a->refs.n; k++) {
      const sh_answer_ref *r = a->refs.v[k];
      sh_buf_puts(b, "      - {document: ");
      sh_yaml_quote(b, r->document->path);
      if (r->at) {
        sh_buf_puts(b, ", at: ");
        sh_yaml_quote(b, r->at);
      }
      sh_buf_puts(b, "}\n");
    }
  }
}
