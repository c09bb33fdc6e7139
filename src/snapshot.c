/* snapshot: rebuilding recorded runs from stored rows and texts. See snapshot.h. */
#include "snapshot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void sh_snap_text_free(void *p) {
  sh_snap_text *t = p;
  if (!t) return;
  free(t->path);
  free(t->content);
  free(t);
}

void sh_run_snapshot_free(sh_run_snapshot *s) {
  if (!s) return;
  sh_evaluation_free(s->eval);
  sh_evidence_free(s->evidence);
  for (size_t i = 0; i < s->frameworks.n; i++) sh_framework_free(s->frameworks.v[i]);
  sh_vec_free(&s->frameworks);
  sh_vocab_free(s->vocab);
  free(s->recorded_at);
  free(s->tool_version);
  free(s);
}

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

/* Writes t into dir as NNN-basename; returns the owned path or NULL. */
static char *materialize(const char *dir, size_t k, const sh_snap_text *t, sh_diags *d) {
  char *name = sh_printf("%03zu-%s", k, base_name(t->path));
  char *p = sh_path_join(dir, name);
  free(name);
  FILE *f = fopen(p, "wb");
  if (!f || fwrite(t->content, 1, t->len, f) != t->len || fclose(f) != 0) {
    sh_error_io(d, p, 0, 0, "cannot write a temporary copy of %s: %s", t->path, strerror(errno));
    if (f) fclose(f);
    free(p);
    return NULL;
  }
  return p;
}

int sh_snapshot_load_texts(sh_run_snapshot *s, const sh_vec *vocab_texts, const sh_vec *fw_texts, sh_diags *d) {
  const char *tmp = getenv("TMPDIR");
  char *tmpl = sh_path_join(tmp && *tmp ? tmp : "/tmp", "shinsa-run-XXXXXX");
  if (!mkdtemp(tmpl)) {
    sh_error_io(d, tmpl, 0, 0, "cannot create a temporary folder: %s", strerror(errno));
    free(tmpl);
    return -1;
  }
  int rc = -1;
  sh_vec written = {0};
  sh_vec vpaths = {0};
  for (size_t i = 0; i < vocab_texts->n; i++) {
    char *p = materialize(tmpl, written.n, vocab_texts->v[i], d);
    if (!p) goto done;
    sh_vec_push(&written, p);
    sh_vec_push(&vpaths, p);
  }
  s->vocab = sh_vocab_load((const char *const *)vpaths.v, vpaths.n, d);
  if (!s->vocab) goto done;
  for (size_t i = 0; i < s->vocab->files.n && i < vocab_texts->n; i++) {
    free(s->vocab->files.v[i]);
    s->vocab->files.v[i] = sh_strdup(((const sh_snap_text *)vocab_texts->v[i])->path);
  }
  for (size_t i = 0; i < fw_texts->n; i++) {
    const sh_snap_text *t = fw_texts->v[i];
    char *p = materialize(tmpl, written.n, t, d);
    if (!p) goto done;
    sh_vec_push(&written, p);
    sh_framework *fw = sh_framework_load(s->vocab, p, d);
    if (!fw) goto done;
    free(fw->file);
    fw->file = sh_strdup(t->path);
    sh_vec_push(&s->frameworks, fw);
  }
  rc = 0;
done:
  for (size_t i = 0; i < written.n; i++) unlink(written.v[i]);
  rmdir(tmpl);
  sh_vec_free_all(&written, free);
  sh_vec_free(&vpaths);
  free(tmpl);
  return rc;
}

sh_evidence *sh_snapshot_new_evidence(const sh_vocab *vocab) {
  sh_evidence *ev = sh_calloc(1, sizeof *ev);
  ev->vocab = vocab;
  ev->nvalues = sh_vocab_count(vocab);
  ev->values = sh_calloc(ev->nvalues ? ev->nvalues : 1, sizeof *ev->values);
  return ev;
}

void sh_snapshot_result_facts(const sh_evidence *ev, sh_result *r) {
  const sh_item *it = r->item;
  if (it->applies_if) sh_expr_facts(it->applies_if, &r->facts_used);
  if (it->require) sh_expr_facts(it->require, &r->facts_used);
  if (r->verdict != SH_V_UNKNOWN) return;
  for (size_t i = 0; i < r->facts_used.n; i++)
    if (!sh_evidence_get(ev, r->facts_used.v[i])) sh_vec_push(&r->missing, r->facts_used.v[i]);
}

char *sh_value_raw(const sh_fact *f, const sh_value *v) {
  switch (v->type) {
  case SH_T_BOOL: return sh_strdup(v->b ? "true" : "false");
  case SH_T_INT: return sh_printf("%lld", (long long)v->i);
  case SH_T_DATE: {
    char b[11];
    sh_date_format((sh_date)v->i, b);
    return sh_strdup(b);
  }
  case SH_T_ENUM: return sh_strdup(v->i >= 0 && (size_t)v->i < f->nvalues ? f->values[v->i] : "");
  case SH_T_SET: {
    sh_buf b = {0};
    for (size_t k = 0; k < f->nvalues && k < 64; k++)
      if (v->set & (1ull << k)) sh_buf_printf(&b, "%s%s", b.len ? "," : "", f->values[k]);
    return sh_buf_steal(&b);
  }
  case SH_T_TEXT: return sh_strdup(v->text ? v->text : "");
  }
  return sh_strdup("");
}
