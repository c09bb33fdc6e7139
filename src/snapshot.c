/* snapshot: rebuilding recorded runs from stored rows and texts. See snapshot.h. */
#include "snapshot.h"

#include "overlay.h"

#include "answers.h"
#include "i18n.h"

#include <json-c/json.h>

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
  sh_vec_free_all(&s->overlays, (void (*)(void *))sh_overlay_free);
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

int sh_snapshot_load_texts(sh_run_snapshot *s, const sh_vec *vocab_texts, const sh_vec *fw_texts, const sh_vec *ov_texts,
                           sh_diags *d) {
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
  for (size_t i = 0; ov_texts && i < ov_texts->n; i++) {
    const sh_snap_text *t = ov_texts->v[i];
    char *p = materialize(tmpl, written.n, t, d);
    if (!p) goto done;
    sh_vec_push(&written, p);
    sh_overlay *ov = sh_overlay_load(p, d);
    if (!ov) goto done;
    free(ov->file);
    ov->file = sh_strdup(t->path);
    sh_vec_push(&s->overlays, ov);
    for (size_t k = 0; k < s->frameworks.n; k++) {
      sh_framework *fw = s->frameworks.v[k];
      if (ov->framework && strcmp(fw->id, ov->framework) == 0) sh_overlay_apply(ov, s->vocab, fw, false, d);
    }
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
  /* as eval.c decided it: the applicability when it is unknown, else the requirement */
  const sh_expr *x = it->applies_if && sh_expr_eval(it->applies_if, sh_evidence_lookup, ev) == SH_TV_UNKNOWN
                       ? it->applies_if : it->require;
  sh_vec facts = {0};
  if (x) sh_expr_facts(x, &facts);
  for (size_t i = 0; i < facts.n; i++)
    if (!sh_evidence_get(ev, facts.v[i])) sh_vec_push(&r->missing, facts.v[i]);
  sh_vec_free(&facts);
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

/* ---------- answers (SH_SNAP_ANSWERS_KIND) ---------- */

static json_object *jstr(const char *s) { return s ? json_object_new_string(s) : NULL; }

char *sh_snapshot_answers_text(const sh_evaluation *e, size_t *len) {
  const sh_evidence *ev = e->evidence;
  if (!ev || !ev->answers.n) return NULL;
  json_object *root = json_object_new_object(), *arr = json_object_new_array(), *con = json_object_new_array();
  json_object_object_add(root, "format", json_object_new_int(SH_SNAP_ANSWERS_FORMAT));
  for (size_t i = 0; i < ev->answers.n; i++) {
    const sh_answer *a = ev->answers.v[i];
    json_object *o = json_object_new_object(), *refs = json_object_new_array();
    json_object_object_add(o, "framework", jstr(a->framework));
    json_object_object_add(o, "item", jstr(a->item));
    json_object_object_add(o, "status", jstr(sh_answer_status_name(a->status)));
    if (a->status == SH_ANS_PLANNED) {
      char pd[11];
      sh_date_format(a->planned_by, pd);
      json_object_object_add(o, "planned_by", jstr(pd));
    }
    if (a->reason) json_object_object_add(o, "reason", jstr(a->reason));
    if (a->text.ja) json_object_object_add(o, "ja", jstr(a->text.ja));
    if (a->text.en) json_object_object_add(o, "en", jstr(a->text.en));
    for (size_t k = 0; k < a->refs.n; k++) {
      const sh_answer_ref *r = a->refs.v[k];
      json_object *ro = json_object_new_object();
      json_object_object_add(ro, "document", jstr(r->document->path));
      if (r->at) json_object_object_add(ro, "at", jstr(r->at));
      json_object_object_add(ro, "sha256", jstr(r->document->sha256_actual[0] ? r->document->sha256_actual
                                                                               : r->document->sha256_declared));
      json_object_object_add(ro, "line", json_object_new_int(r->line));
      json_object_object_add(ro, "col", json_object_new_int(r->col));
      json_object_array_add(refs, ro);
    }
    json_object_object_add(o, "refs", refs);
    if (a->origin) json_object_object_add(o, "origin", jstr(a->origin));
    json_object_object_add(o, "line", json_object_new_int(a->line));
    json_object_object_add(o, "col", json_object_new_int(a->col));
    json_object_array_add(arr, o);
  }
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *r = e->results.v[i];
    if (!r->contradiction) continue;
    char *key = sh_printf("%s:%s", r->item->fw->id, r->item->id);
    json_object_array_add(con, json_object_new_string(key));
    free(key);
  }
  json_object_object_add(root, "answers", arr);
  json_object_object_add(root, "contradictions", con);
  const char *txt = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
  char *out = sh_strdup(txt);
  *len = strlen(out);
  json_object_put(root);
  return out;
}

/* Optional string member (NULL when absent or null); *bad set when present with another type. */
static const char *jget_str(json_object *o, const char *key, bool *bad) {
  json_object *v = NULL;
  if (!json_object_object_get_ex(o, key, &v) || !v) return NULL;
  if (!json_object_is_type(v, json_type_string)) {
    *bad = true;
    return NULL;
  }
  return json_object_get_string(v);
}

static int jget_int(json_object *o, const char *key, bool *bad) {
  json_object *v = NULL;
  if (!json_object_object_get_ex(o, key, &v) || !v) return 0;
  if (!json_object_is_type(v, json_type_int)) {
    *bad = true;
    return 0;
  }
  return json_object_get_int(v);
}

static const sh_document *doc_by_path(const sh_evidence *ev, const char *path) {
  for (size_t i = 0; path && i < ev->documents.n; i++) {
    const sh_document *dc = ev->documents.v[i];
    if (strcmp(dc->path, path) == 0) return dc;
  }
  return NULL;
}

/* One recorded answer; NULL with *why set when it does not read back. */
static sh_answer *answer_from_json(const sh_evidence *ev, json_object *o, const char **why) {
  bool bad = !json_object_is_type(o, json_type_object);
  if (bad) return *why = N_("an answer that is not an object"), NULL;
  const char *fw = jget_str(o, "framework", &bad), *item = jget_str(o, "item", &bad);
  const char *st = jget_str(o, "status", &bad), *pb = jget_str(o, "planned_by", &bad);
  sh_answer *a = sh_calloc(1, sizeof *a);
  a->reason = sh_strdup(jget_str(o, "reason", &bad));
  a->text.ja = sh_strdup(jget_str(o, "ja", &bad));
  a->text.en = sh_strdup(jget_str(o, "en", &bad));
  a->origin = sh_strdup(jget_str(o, "origin", &bad));
  a->line = jget_int(o, "line", &bad);
  a->col = jget_int(o, "col", &bad);
  if (bad || !fw || !item || !st || !sh_answer_status_parse(st, &a->status) ||
      (a->status == SH_ANS_PLANNED && (!pb || !sh_date_parse(pb, &a->planned_by)))) {
    *why = N_("an answer without a framework, item or valid status");
    sh_answer_free(a);
    return NULL;
  }
  a->framework = sh_strdup(fw);
  a->item = sh_strdup(item);
  json_object *refs = NULL;
  if (json_object_object_get_ex(o, "refs", &refs) && refs) {
    if (!json_object_is_type(refs, json_type_array)) bad = true;
    for (size_t k = 0; !bad && k < json_object_array_length(refs); k++) {
      json_object *ro = json_object_array_get_idx(refs, k);
      if (!json_object_is_type(ro, json_type_object)) {
        bad = true;
        break;
      }
      const char *path = jget_str(ro, "document", &bad), *at = jget_str(ro, "at", &bad);
      const char *sha = jget_str(ro, "sha256", &bad);
      const sh_document *dc = doc_by_path(ev, path);
      const char *dsha = dc ? (dc->sha256_actual[0] ? dc->sha256_actual : dc->sha256_declared) : NULL;
      if (bad || !dc || !sha || strcmp(sha, dsha) != 0) {
        *why = N_("a reference to a document that is not among the run's recorded documents (or with another sha256)");
        sh_answer_free(a);
        return NULL;
      }
      sh_answer_ref *r = sh_calloc(1, sizeof *r);
      r->document = dc;
      r->at = sh_strdup(at);
      r->line = jget_int(ro, "line", &bad);
      r->col = jget_int(ro, "col", &bad);
      sh_vec_push(&a->refs, r);
    }
  }
  if (bad) {
    if (!*why) *why = N_("a malformed reference");
    sh_answer_free(a);
    return NULL;
  }
  return a;
}

int sh_snapshot_load_answers(sh_run_snapshot *s, const sh_vec *texts, const char *loc, sh_diags *d) {
  if (!texts->n) return 0; /* recorded before answers were kept, or a package without answers */
  const sh_snap_text *t = texts->v[0];
  const char *why = NULL;
  json_tokener *tok = json_tokener_new_ex(16);
  json_object *root = tok ? json_tokener_parse_ex(tok, t->content, (int)t->len) : NULL;
  if (tok && json_tokener_get_error(tok) != json_tokener_success) {
    json_object_put(root);
    root = NULL;
  }
  if (tok) json_tokener_free(tok);
  json_object *arr = NULL, *con = NULL, *fmt = NULL;
  if (!root || !json_object_is_type(root, json_type_object) || !json_object_object_get_ex(root, "format", &fmt) ||
      !json_object_is_type(fmt, json_type_int) || !json_object_object_get_ex(root, "answers", &arr) ||
      !json_object_is_type(arr, json_type_array) || !json_object_object_get_ex(root, "contradictions", &con) ||
      !json_object_is_type(con, json_type_array)) {
    why = N_("not an answers snapshot");
    goto bad;
  }
  if (json_object_get_int(fmt) > SH_SNAP_ANSWERS_FORMAT) {
    sh_error_io(d, loc, 0, 0, "run %lld: its answers were recorded in format %d by a newer shinsa (this one reads "
                "format %d); re-render it with that version", (long long)s->run_id, json_object_get_int(fmt),
                SH_SNAP_ANSWERS_FORMAT);
    json_object_put(root);
    return -1;
  }
  sh_evidence *ev = s->evidence;
  for (size_t i = 0; i < json_object_array_length(arr); i++) {
    sh_answer *a = answer_from_json(ev, json_object_array_get_idx(arr, i), &why);
    if (!a) goto bad;
    sh_vec_push(&ev->answers, a);
  }
  for (size_t i = 0; s->eval && i < s->eval->results.n; i++) {
    sh_result *r = s->eval->results.v[i];
    r->answer = sh_answer_find(ev, r->item->fw->id, r->item->id);
    char *key = sh_printf("%s:%s", r->item->fw->id, r->item->id);
    for (size_t k = 0; k < json_object_array_length(con); k++) {
      const char *c = json_object_get_string(json_object_array_get_idx(con, k));
      if (c && strcmp(c, key) == 0) r->contradiction = true;
    }
    free(key);
  }
  json_object_put(root);
  return 0;
bad:
  sh_error_io(d, loc, 0, 0, "damaged store: run %lld: the recorded answers (%s) do not read back: %s, which shinsa "
              "never writes (see 'shinsa log verify')", (long long)s->run_id, t->path, why ? _(why) : "?");
  json_object_put(root);
  return -1;
}

/* ---------- reasons ---------- */

/* The arguments of a keyed reason as a JSON array: a string, {"msgid": w} (a word translated when shown),
 * {"fact": id}, {"ja": .., "en": ..} (a framework text in two languages), {"msg": key, "args": [..],
 * "message": ..} (a reason of its own). */
static json_object *reason_args_json(const sh_reason *re) {
  json_object *arr = json_object_new_array();
  for (size_t i = 0; i < re->nargs; i++) {
    json_object *s = json_object_new_string(re->args[i] ? re->args[i] : "");
    bool tr = i < sizeof re->tr * 8 && (re->tr >> i & 1u), fa = i < sizeof re->factarg * 8 && (re->factarg >> i & 1u);
    const sh_reason *sub = re->sub ? re->sub[i] : NULL;
    if (sub && sub->key) {
      json_object_put(s);
      s = json_object_new_object();
      json_object_object_add(s, "msg", json_object_new_string(sub->key));
      json_object_object_add(s, "args", reason_args_json(sub));
      json_object_object_add(s, "message", json_object_new_string(sub->message ? sub->message : ""));
    } else if (re->ja && re->ja[i]) {
      json_object *o = json_object_new_object();
      json_object_object_add(o, "ja", json_object_new_string(re->ja[i]));
      json_object_object_add(o, "en", s);
      s = o;
    } else if (tr || fa) {
      json_object *o = json_object_new_object();
      json_object_object_add(o, tr ? "msgid" : "fact", s);
      s = o;
    }
    json_object_array_add(arr, s);
  }
  return arr;
}

char *sh_snapshot_reason_args(const sh_reason *re) {
  if (!re->key) return NULL;
  json_object *arr = reason_args_json(re);
  char *out = sh_strdup(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put(arr);
  return out;
}

/* The reason from its key, its arguments (a JSON array, reason_args_json) and its English message; NULL when the
 * arguments do not read. */
static sh_reason *reason_from_json(const sh_fact *fact, const char *key, json_object *arr, const char *message) {
  if (!arr || !json_object_is_type(arr, json_type_array)) return NULL;
  bool ok = true;
  size_t n = json_object_array_length(arr);
  char **args = n ? sh_calloc(n, sizeof *args) : NULL;
  const char **ja = n ? sh_calloc(n, sizeof *ja) : NULL;
  sh_reason **sub = n ? sh_calloc(n, sizeof *sub) : NULL;
  unsigned tr = 0, fa = 0;
  for (size_t i = 0; ok && i < n; i++) {
    json_object *a = json_object_array_get_idx(arr, i), *m = NULL, *x = NULL;
    if (json_object_is_type(a, json_type_object) && json_object_object_get_ex(a, "msg", &m)) {
      json_object *sa = NULL, *sm = NULL;
      json_object_object_get_ex(a, "args", &sa);
      json_object_object_get_ex(a, "message", &sm);
      ok = json_object_is_type(m, json_type_string) && json_object_is_type(sm, json_type_string);
      sub[i] = ok ? reason_from_json(NULL, json_object_get_string(m), sa, json_object_get_string(sm)) : NULL;
      ok = sub[i] != NULL;
      a = sm;
    } else if (json_object_is_type(a, json_type_object) && json_object_object_get_ex(a, "ja", &x) &&
               json_object_object_get_ex(a, "en", &m)) {
      ok = json_object_is_type(x, json_type_string);
      if (ok) ja[i] = json_object_get_string(x);
      a = m;
    } else if (json_object_is_type(a, json_type_object) && json_object_object_get_ex(a, "msgid", &m)) {
      a = m;
      if (i < sizeof tr * 8) tr |= 1u << i;
    } else if (json_object_is_type(a, json_type_object) && json_object_object_get_ex(a, "fact", &m)) {
      a = m;
      if (i < sizeof fa * 8) fa |= 1u << i;
    }
    if (!ok || !json_object_is_type(a, json_type_string)) ok = false;
    else args[i] = (char *)json_object_get_string(a);
  }
  sh_reason *re = ok ? sh_reason_new_keyed(fact, key, args, n, tr, fa, message) : NULL;
  for (size_t i = 0; i < n; i++) {
    if (re && ja[i]) sh_reason_text_arg(re, i, ja[i], args[i]);
    if (re && sub[i]) sh_reason_sub_arg(re, i, sub[i]);
    else sh_reason_free(sub[i]);
  }
  if (re) {
    free(re->message); /* set_arg recomputed it: keep the recorded one */
    re->message = sh_strdup(message ? message : "");
  }
  free(args);
  free(ja);
  free(sub);
  return re;
}

sh_reason *sh_snapshot_reason(const sh_fact *fact, const char *key, const char *args_json, const char *message) {
  if (!key) return sh_reason_new_keyed(fact, NULL, NULL, 0, 0, 0, message);
  json_tokener *tok = json_tokener_new_ex(8);
  json_object *arr = tok && args_json ? json_tokener_parse_ex(tok, args_json, (int)strlen(args_json)) : NULL;
  bool ok = arr && json_tokener_get_error(tok) == json_tokener_success;
  if (tok) json_tokener_free(tok);
  sh_reason *re = ok ? reason_from_json(fact, key, arr, message) : NULL;
  json_object_put(arr);
  return re;
}
