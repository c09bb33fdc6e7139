/* evidence: loading and checking evidence packages. See evidence.h and docs/formats.md §4. */
#include "evidence.h"
#include "i18n.h"

#include "answers.h"
#include "i18n.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const sh_document *sh_certificate_doc(const sh_evidence *ev, const sh_certification *c) {
  for (size_t i = 0; c->certificate && i < ev->documents.n; i++) {
    const sh_document *dc = ev->documents.v[i];
    if (dc->path && strcmp(dc->path, c->certificate) == 0) return dc;
  }
  return NULL;
}

const char *sh_doc_status_name(sh_doc_status s) {
  switch (s) {
  case SH_DOC_OK: return "ok";
  case SH_DOC_MISSING: return "missing";
  case SH_DOC_HASH_MISMATCH: return "hash_mismatch";
  case SH_DOC_EXPIRED: return "expired";
  case SH_DOC_NOT_YET_VALID: return "not_yet_valid";
  case SH_DOC_UNREADABLE: return "unreadable";
  }
  return "?";
}

const char *sh_doc_status_label(sh_doc_status s, const char *lang) {
  switch (s) {
  /* TRANSLATORS: the state of an evidence document as checked on the assessment date */
  case SH_DOC_OK: return sh_tr(lang, N_("in force")); /* not "valid": cda.c's schema-valid 妥当 */
  case SH_DOC_MISSING: return sh_tr(lang, N_("missing"));
  case SH_DOC_HASH_MISMATCH: return sh_tr(lang, N_("hash mismatch"));
  case SH_DOC_EXPIRED: return sh_tr(lang, N_("expired"));
  case SH_DOC_NOT_YET_VALID: return sh_tr(lang, N_("not yet valid"));
  case SH_DOC_UNREADABLE: return sh_tr(lang, N_("unreadable"));
  }
  return "?";
}

bool sh_doc_status_parse(const char *s, sh_doc_status *out) {
  for (int k = SH_DOC_OK; k <= SH_DOC_UNREADABLE; k++)
    if (s && strcmp(s, sh_doc_status_name((sh_doc_status)k)) == 0) return *out = (sh_doc_status)k, true;
  return false;
}

/* The lexical part of containment: why rel is refused as written (empty, absolute, a '..' component), or NULL. */
static const char *lexical_refusal(const char *rel) {
  if (!rel || !*rel) return N_("empty path");
  if (rel[0] == '/') return N_("absolute paths are not allowed (give a path relative to the evidence folder)");
  for (const char *p = rel; *p;) {
    const char *e = strchr(p, '/');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (n == 2 && p[0] == '.' && p[1] == '.') 
      return N_("'..' is not allowed: the path must stay inside the evidence folder");
    if (!e) break;
    p = e + 1;
  }
  return NULL;
}

char *sh_path_inside(const char *root, const char *rel, sh_loc at, sh_diags *d) {
  const char *why = lexical_refusal(rel);
  char rootabs[PATH_MAX];
  if (!why && !realpath(root, rootabs)) {
    sh_error_io(d, at.file, at.line, at.col, "path '%s' refused: the evidence folder cannot be resolved", rel);
    return NULL;
  }
  if (!why) {
    char *joined = sh_path_join(rootabs, rel);
    char resolved[PATH_MAX];
    if (!realpath(joined, resolved)) {
      /* Missing: lexically inside (no '..', not absolute); the caller reports it as missing. But a
       * dangling symlink anywhere on the way must not be followed later either. */
      struct stat st;
      if (!(lstat(joined, &st) == 0 && S_ISLNK(st.st_mode))) return joined;
      why = N_("a symbolic link that cannot be resolved");
    } else {
      size_t rl = strlen(rootabs);
      if (strncmp(resolved, rootabs, rl) == 0 && (resolved[rl] == '/' || resolved[rl] == '\0')) {
        free(joined);
        return sh_strdup(resolved);
      }
      why = N_("the path leaves the evidence folder through a symbolic link");
    }
    free(joined);
  }
  sh_error_data(d, at.file, at.line, at.col, "path '%s' refused: %s", rel ? rel : "", _(why));
  return NULL;
}

static void free_fv(sh_fact_value *fv) {
  if (!fv) return;
  sh_value_clear(&fv->value);
  free(fv->origin);
  free(fv->detail);
  sh_vec_free(&fv->documents);
  free(fv);
}

static void free_doc(void *p) {
  sh_document *doc = p;
  free(doc->path);
  free(doc->abs);
  free(doc->title);
  sh_vec_free(&doc->attests);
  free(doc);
}

static void free_data_item(void *p) {
  sh_data_item *di = p;
  free(di->id);
  free(di->name.ja);
  free(di->name.en);
  free(di->code);
  sh_vec_free_all(&di->purposes, free);
  sh_vec_free_all(&di->recipients, free);
  free(di);
}

static void free_cert(void *p) {
  sh_certification *c = p;
  free(c->framework);
  free(c->number);
  free(c->certificate);
  free(c->kind);
  free(c);
}

static void free_pkgpath(void *p) {
  sh_pkgpath *pp = p;
  if (!pp) return;
  free(pp->path);
  free(pp->abs);
  free(pp);
}

size_t sh_evidence_frameworks_check(const sh_evidence *ev, const sh_registry *reg, sh_diags *d) {
  size_t errs = 0;
  for (size_t k = 0; k < ev->frameworks.n; k++) {
    const char *id = ev->frameworks.v[k];
    const sh_loc *at = k < ev->frameworks_at.n ? ev->frameworks_at.v[k] : NULL;
    if (sh_registry_find(reg, id)) continue;
    const char *near = sh_registry_nearest(reg, id);
    if (near)
      sh_error_data(d, ev->file, at ? at->line : 0, at ? at->col : 0,
                    "unknown framework '%s' in frameworks: (did you mean '%s'?)", id, near);
    else
      sh_error_data(d, ev->file, at ? at->line : 0, at ? at->col : 0,
                    "unknown framework '%s' in frameworks: (see 'shinsa frameworks')", id);
    errs++;
  }
  return errs;
}

void sh_evidence_free(sh_evidence *ev) {
  if (!ev) return;
  free(ev->dir);
  free(ev->file);
  free(ev->applicant_name);
  free(ev->applicant_name_en);
  free(ev->applicant_kind);
  for (size_t i = 0; i < ev->nvalues; i++) free_fv(ev->values[i]);
  free(ev->values);
  sh_vec_free_all(&ev->documents, free_doc);
  sh_vec_free_all(&ev->data_items, free_data_item);
  sh_vec_free_all(&ev->certifications, free_cert);
  sh_vec_free_all(&ev->frameworks, free);
  sh_vec_free_all(&ev->frameworks_at, free);
  sh_vec_free_all(&ev->probe_dirs, free_pkgpath);
  sh_vec_free_all(&ev->cda_files, free_pkgpath);
  free_pkgpath(ev->cda_schema);
  free_pkgpath(ev->cda_items);
  free_pkgpath(ev->item_codes);
  sh_vec_free_all(&ev->answers, sh_answer_free);
  free(ev->answers_file);
  free(ev);
}

sh_fact_value *sh_evidence_set(sh_evidence *ev, const sh_fact *f, const sh_value *value, sh_prov prov,
                               const char *origin, int line, int col) {
  sh_fact_value *fv = ev->values[f->index];
  if (fv) {
    sh_value_clear(&fv->value);
    free(fv->origin);
    free(fv->detail);
    fv->detail = NULL;
    sh_vec_free(&fv->documents);
  } else {
    fv = ev->values[f->index] = sh_calloc(1, sizeof *fv);
  }
  fv->fact = f;
  sh_value_copy(&fv->value, value);
  fv->prov = prov;
  fv->origin = sh_strdup(origin);
  fv->line = line;
  fv->col = col;
  return fv;
}

const sh_fact_value *sh_evidence_get(const sh_evidence *ev, const sh_fact *f) {
  return f->index < ev->nvalues ? ev->values[f->index] : NULL;
}

const sh_value *sh_evidence_lookup(const void *ctx, const sh_fact *f) {
  const sh_fact_value *fv = sh_evidence_get(ctx, f);
  return fv ? &fv->value : NULL;
}

/* A list of strings, or a single string, into out (owned copies). */
static void str_list(const sh_ydoc *doc, const sh_ynode *n, sh_vec *out, const char *what, sh_diags *d) {
  if (n->kind == SH_Y_SCALAR) {
    sh_vec_push(out, sh_strdup(n->str));
    return;
  }
  if (!sh_y_expect(doc, n, SH_Y_SEQ, what, d)) return;
  for (size_t i = 0; i < n->n; i++) {
    const char *s = sh_y_str(doc, n->items[i], what, d);
    if (s) sh_vec_push(out, sh_strdup(s));
  }
}

static void load_applicant(sh_evidence *ev, const sh_ydoc *doc, const sh_ynode *n, sh_diags *d) {
  static const char *const keys[] = {"name", "name_en", "kind", "assessment_date", NULL};
  if (!sh_y_expect(doc, n, SH_Y_MAP, "applicant", d)) return;
  sh_y_check_keys(doc, n, keys, "applicant", d);
  const sh_ynode *v;
  const char *s;
  if ((v = sh_y_require(doc, n, "name", "applicant", d)) && (s = sh_y_str(doc, v, N_("applicant name"), d)))
    ev->applicant_name = sh_strdup(s);
  if ((v = sh_ymap_get(n, "name_en")) && (s = sh_y_str(doc, v, N_("applicant name_en"), d)))
    ev->applicant_name_en = sh_strdup(s);
  if ((v = sh_y_require(doc, n, "kind", "applicant", d)) && (s = sh_y_str(doc, v, N_("applicant kind"), d))) {
    ev->applicant_kind = sh_strdup(s);
    const sh_fact *kf = sh_vocab_find(ev->vocab, "operator.kind");
    if (kf && kf->type == SH_T_ENUM) {
      sh_value val;
      if (sh_value_from_yaml(kf, doc, v, &val, d)) sh_evidence_set(ev, kf, &val, SH_PROV_DECLARED, SH_EVIDENCE_NAME, v->line, v->col);
    }
  }
  if ((v = sh_y_require(doc, n, "assessment_date", "applicant", d)))
    sh_y_date(doc, v, &ev->assessment_date, "assessment_date", d);
}

static void load_facts(sh_evidence *ev, const sh_ydoc *doc, const sh_ynode *n, sh_diags *d) {
  if (!sh_y_expect(doc, n, SH_Y_MAP, "facts", d)) return;
  for (size_t i = 0; i < n->n; i++) {
    const sh_ynode *k = n->pairs[i].key, *v = n->pairs[i].val;
    const sh_fact *f = sh_vocab_find(ev->vocab, k->str);
    if (!f) {
      const char *near = sh_vocab_closest(ev->vocab, k->str);
      if (near) sh_error(d, doc->file, k->line, k->col, "unknown fact '%s' (did you mean '%s'?)", k->str, near);
      else sh_error(d, doc->file, k->line, k->col, "unknown fact '%s' (not in the vocabulary)", k->str);
      continue;
    }
    if (f->derived) {
      sh_error(d, doc->file, k->line, k->col, "fact '%s' is computed by shinsa and cannot be declared", k->str);
      continue;
    }
    if (strcmp(f->id, "operator.kind") == 0 && ev->values[f->index]) {
      sh_error(d, doc->file, k->line, k->col, "operator.kind comes from applicant.kind; do not declare it twice");
      continue;
    }
    sh_value val;
    if (!sh_value_from_yaml(f, doc, v, &val, d)) continue;
    sh_evidence_set(ev, f, &val, SH_PROV_DECLARED, SH_EVIDENCE_NAME, v->line, v->col);
    sh_value_clear(&val);
  }
}

/* Opens the document under the package's root descriptor (containment checked on the descriptors opened, see
 * fileio.h) and hashes what was opened. */
static void check_document(sh_evidence *ev, sh_document *dc, const sh_ydoc *doc, int rootfd, sh_diags *d) {
  if (!dc->abs) return;
  char *what = sh_printf(_("document path '%s'"), dc->path);
  size_t before = d->nerrors;
  const sh_fref ref = {{doc->file, dc->path_line, dc->path_col}, what, false};
  int fd = sh_open_beneath(rootfd, dc->path, 0, &ref, d);
  free(what);
  if (fd < 0 && d->nerrors != before) return; /* refused (reported) */
  if (fd < 0 && errno == ENOENT) {
    dc->status = SH_DOC_MISSING;
    sh_diag_add(d, SH_SEV_WARNING, doc->file, dc->line, dc->col, "document '%s' not found in the evidence folder",
                dc->path);
    return;
  }
  if (fd < 0 || sh_sha256_fd(fd, SH_DOC_MAX_BYTES, dc->sha256_actual) != 0) {
    int e = errno;
    if (fd >= 0) close(fd);
    dc->status = SH_DOC_UNREADABLE;
    dc->sha256_actual[0] = '\0';
    sh_diag_add(d, SH_SEV_WARNING, doc->file, dc->line, dc->col, "document '%s' cannot be hashed: %s", dc->path,
                e == EFBIG ? _("larger than the 256 MiB limit") : sh_fio_strerror(e));
    return;
  }
  close(fd);
  if (strcmp(dc->sha256_actual, dc->sha256_declared) != 0) {
    dc->status = SH_DOC_HASH_MISMATCH;
    sh_diag_add(d, SH_SEV_WARNING, doc->file, dc->hash_line, dc->hash_col,
                "sha256 mismatch for '%s': declared %s, file has %s", dc->path, dc->sha256_declared, dc->sha256_actual);
    return;
  }
  char a[11], b[11];
  if (dc->has_valid_until && dc->valid_until < ev->assessment_date) {
    dc->status = SH_DOC_EXPIRED;
    sh_date_format(dc->valid_until, a);
    sh_date_format(ev->assessment_date, b);
    sh_diag_add(d, SH_SEV_WARNING, doc->file, dc->line, dc->col, "document '%s' expired on %s (assessment date %s)",
                dc->path, a, b);
    return;
  }
  if (dc->has_issued && dc->issued > ev->assessment_date) {
    dc->status = SH_DOC_NOT_YET_VALID;
    sh_date_format(dc->issued, a);
    sh_date_format(ev->assessment_date, b);
    sh_diag_add(d, SH_SEV_WARNING, doc->file, dc->line, dc->col, "document '%s' is issued %s, after the assessment date %s",
                dc->path, a, b);
  }
}

static void load_documents(sh_evidence *ev, const sh_ydoc *doc, const sh_ynode *n, sh_diags *d) {
  static const char *const keys[] = {"path", "sha256", "title", "issued", "valid_until", "attests", NULL};
  if (!sh_y_expect(doc, n, SH_Y_SEQ, "documents", d)) return;
  sh_strmap seen = {0}; /* paths listed so far: a hash set, so n documents cost O(n) */
  for (size_t i = 0; i < n->n; i++) {
    const sh_ynode *e = n->items[i];
    if (!sh_y_expect(doc, e, SH_Y_MAP, N_("a document"), d)) continue;
    size_t before = d->nerrors;
    sh_y_check_keys(doc, e, keys, N_("a document"), d);
    sh_document *dc = sh_calloc(1, sizeof *dc);
    dc->line = e->line;
    dc->col = e->col;
    const sh_ynode *v;
    const char *s;
    if ((v = sh_y_require(doc, e, "path", N_("a document"), d)) && (s = sh_y_str(doc, v, N_("document path"), d))) {
      dc->path = sh_strdup(s);
      dc->path_line = v->line;
      dc->path_col = v->col;
      /* Only the lexical check here: links are followed (and refused when they leave the package) when the
       * document is opened beneath the package's descriptor (check_document), with no realpath per document. */
      const char *why = lexical_refusal(s);
      if (why) sh_error(d, doc->file, v->line, v->col, "document path '%s' refused: %s", s, _(why));
      else dc->abs = sh_path_join(ev->dir, s);
    }
    if ((v = sh_y_require(doc, e, "sha256", N_("a document"), d)) && (s = sh_y_str(doc, v, "sha256", d))) {
      dc->hash_line = v->line;
      dc->hash_col = v->col;
      if (!sh_sha256_valid(s)) sh_error(d, doc->file, v->line, v->col, "sha256 must be 64 hexadecimal digits");
      else
        for (int k = 0; k < 65; k++) dc->sha256_declared[k] = (char)(s[k] >= 'A' && s[k] <= 'F' ? s[k] + 32 : s[k]);
    }
    if ((v = sh_y_require(doc, e, "title", N_("a document"), d)) && (s = sh_y_str(doc, v, N_("document title"), d)))
      dc->title = sh_strdup(s);
    if ((v = sh_ymap_get(e, "issued"))) dc->has_issued = sh_y_date(doc, v, &dc->issued, "issued", d);
    if ((v = sh_ymap_get(e, "valid_until")))
      dc->has_valid_until = sh_y_date(doc, v, &dc->valid_until, "valid_until", d);
    if ((v = sh_ymap_get(e, "attests")) && sh_y_expect(doc, v, SH_Y_SEQ, "attests", d)) {
      for (size_t k = 0; k < v->n; k++) {
        const sh_ynode *an = v->items[k];
        if (!(s = sh_y_str(doc, an, N_("attested fact"), d))) continue;
        const sh_fact *f = sh_vocab_find(ev->vocab, s);
        const char *near = f ? NULL : sh_vocab_closest(ev->vocab, s);
        if (!f && near) sh_error(d, doc->file, an->line, an->col, "unknown fact '%s' in attests (did you mean '%s'?)", s, near);
        else if (!f) sh_error(d, doc->file, an->line, an->col, "unknown fact '%s' in attests", s);
        else sh_vec_push(&dc->attests, (void *)f);
      }
    }
    if (d->nerrors != before) {
      free_doc(dc);
      continue;
    }
    if (sh_strmap_get(&seen, dc->path))
      sh_diag_add(d, SH_SEV_WARNING, doc->file, dc->line, dc->col, "document '%s' is listed twice", dc->path);
    else
      sh_strmap_put(&seen, dc->path, dc);
    sh_vec_push(&ev->documents, dc);
  }
  sh_strmap_free(&seen);
}

/* Purposes and recipients of a data item: identifiers from the values of the vocabulary's set fact `fact_id`
 * (data.purposes, data.recipients; labels in rules/facts.yaml). Without that fact any identifier is kept. */
static void use_list(sh_evidence *ev, const sh_ydoc *doc, const sh_ynode *n, sh_vec *out, const char *fact_id,
                     const char *what, sh_diags *d) {
  const sh_fact *f = sh_vocab_find(ev->vocab, fact_id);
  const sh_ynode *one[1] = {n};
  const sh_ynode *const *items = one;
  size_t count = 1;
  if (n->kind != SH_Y_SCALAR) {
    if (!sh_y_expect(doc, n, SH_Y_SEQ, what, d)) return;
    items = (const sh_ynode *const *)n->items;
    count = n->n;
  }
  for (size_t i = 0; i < count; i++) {
    const char *s = sh_y_str(doc, items[i], what, d);
    if (!s) continue;
    if (f && f->type == SH_T_SET && sh_fact_value_index(f, s) < 0) {
      sh_buf b = {0};
      for (size_t k = 0; k < f->nvalues; k++) sh_buf_printf(&b, "%s%s", k ? ", " : "", f->values[k]);
      sh_error(d, doc->file, items[i]->line, items[i]->col, "unknown %s '%s' (one of: %s; labels in %s)", _(what), s,
               sh_buf_str(&b), f->file);
      sh_buf_free(&b);
      continue;
    }
    sh_vec_push(out, sh_strdup(s));
  }
}

static void load_data_items(sh_evidence *ev, const sh_ydoc *doc, const sh_ynode *n, sh_diags *d) {
  static const char *const keys[] = {"id", "name", "level", "code", "purposes", "recipients", NULL};
  if (!sh_y_expect(doc, n, SH_Y_SEQ, "data_items", d)) return;
  for (size_t i = 0; i < n->n; i++) {
    const sh_ynode *e = n->items[i];
    if (!sh_y_expect(doc, e, SH_Y_MAP, N_("a data item"), d)) continue;
    sh_y_check_keys(doc, e, keys, N_("a data item"), d);
    sh_data_item *di = sh_calloc(1, sizeof *di);
    di->line = e->line;
    di->col = e->col;
    di->level = di->declared_level = di->table_level = -1;
    const sh_ynode *v;
    const char *s;
    if ((v = sh_y_require(doc, e, "id", N_("data item"), d)) && (s = sh_y_str(doc, v, N_("data item id"), d)))
      di->id = sh_strdup(s);
    if ((v = sh_y_require(doc, e, "name", N_("data item"), d))) sh_y_text(doc, v, &di->name.ja, &di->name.en, "name", d);
    if ((v = sh_ymap_get(e, "level"))) {
      int64_t lv;
      if (sh_y_int(doc, v, &lv, "level", d)) {
        if (lv < 0 || lv > 3) sh_error(d, doc->file, v->line, v->col, "level must be 0, 1, 2 or 3, not %lld", (long long)lv);
        else di->level = di->declared_level = (int)lv;
      }
    }
    if ((v = sh_ymap_get(e, "code")) && (s = sh_y_str(doc, v, "code", d))) {
      size_t l = strlen(s);
      bool digits = l == 17;
      for (size_t k = 0; k < l && digits; k++)
        if (!((s[k] >= '0' && s[k] <= '9') || (s[k] >= 'A' && s[k] <= 'Z'))) digits = false;
      if (!digits) sh_error(d, doc->file, v->line, v->col, "code must be a 17-character MHLW checkup item code");
      di->code = sh_strdup(s);
    }
    if (!sh_ymap_get(e, "level") && !sh_ymap_get(e, "code"))
      sh_error(d, doc->file, e->line, e->col, "data item '%s' needs 'level' (0-3) or 'code'", di->id ? di->id : "?");
    if ((v = sh_ymap_get(e, "purposes"))) use_list(ev, doc, v, &di->purposes, "data.purposes", N_("purpose"), d);
    if ((v = sh_ymap_get(e, "recipients"))) use_list(ev, doc, v, &di->recipients, "data.recipients", N_("recipient"), d);
    sh_vec_push(&ev->data_items, di);
  }
}

static void load_certs(sh_evidence *ev, const sh_ydoc *doc, const sh_ynode *n, sh_diags *d) {
  static const char *const keys[] = {"framework", "number", "issued", "valid_until", "certificate", "kind", NULL};
  if (!sh_y_expect(doc, n, SH_Y_SEQ, "certifications", d)) return;
  for (size_t i = 0; i < n->n; i++) {
    const sh_ynode *e = n->items[i];
    if (!sh_y_expect(doc, e, SH_Y_MAP, N_("a certification"), d)) continue;
    sh_y_check_keys(doc, e, keys, N_("a certification"), d);
    sh_certification *c = sh_calloc(1, sizeof *c);
    c->line = e->line;
    c->col = e->col;
    const sh_ynode *v;
    const char *s;
    if ((v = sh_y_require(doc, e, "framework", N_("a certification"), d)) && (s = sh_y_str(doc, v, "framework", d)))
      c->framework = sh_strdup(s);
    if ((v = sh_y_require(doc, e, "number", N_("a certification"), d)) && (s = sh_y_str(doc, v, "number", d)))
      c->number = sh_strdup(s);
    if ((v = sh_y_require(doc, e, "valid_until", N_("a certification"), d))) sh_y_date(doc, v, &c->valid_until, "valid_until", d);
    if ((v = sh_ymap_get(e, "issued"))) c->has_issued = sh_y_date(doc, v, &c->issued, "issued", d);
    if ((v = sh_ymap_get(e, "certificate")) && (s = sh_y_str(doc, v, "certificate", d))) c->certificate = sh_strdup(s);
    if ((v = sh_ymap_get(e, "kind")) && (s = sh_y_str(doc, v, "kind", d))) {
      if (strcmp(s, "通常認定") && strcmp(s, "P認定"))
        sh_error(d, doc->file, v->line, v->col, "certification kind must be 通常認定 or P認定 (for a service not yet in "
                 "operation), not '%s'", s);
      else c->kind = sh_strdup(s);
    }
    sh_vec_push(&ev->certifications, c);
  }
}

static sh_pkgpath *pkgpath(sh_evidence *ev, const sh_ydoc *doc, const sh_ynode *v, bool inside, sh_diags *d) {
  const char *s = sh_y_str(doc, v, "path", d);
  if (!s) return NULL;
  sh_pkgpath *pp = sh_calloc(1, sizeof *pp);
  pp->path = sh_strdup(s);
  pp->line = v->line;
  pp->col = v->col;
  if (!inside && s[0] == '/') {
    pp->abs = sh_strdup(s);
    return pp;
  }
  pp->abs = sh_path_inside(ev->dir, s, (sh_loc){doc->file, v->line, v->col}, d);
  if (!pp->abs) {
    free_pkgpath(pp);
    return NULL;
  }
  return pp;
}

static void load_probes(sh_evidence *ev, const sh_ydoc *doc, const sh_ynode *n, sh_diags *d) {
  if (!sh_y_expect(doc, n, SH_Y_SEQ, "probes", d)) return;
  for (size_t i = 0; i < n->n; i++) {
    sh_pkgpath *pp = pkgpath(ev, doc, n->items[i], true, d);
    if (pp) sh_vec_push(&ev->probe_dirs, pp);
  }
}

static void load_cda(sh_evidence *ev, const sh_ydoc *doc, const sh_ynode *n, sh_diags *d) {
  static const char *const keys[] = {"schema", "files", "items", NULL};
  if (!sh_y_expect(doc, n, SH_Y_MAP, "cda_exports", d)) return;
  sh_y_check_keys(doc, n, keys, "cda_exports", d);
  const sh_ynode *v;
  if ((v = sh_ymap_get(n, "schema"))) ev->cda_schema = pkgpath(ev, doc, v, false, d);
  if ((v = sh_ymap_get(n, "items"))) ev->cda_items = pkgpath(ev, doc, v, false, d);
  if ((v = sh_y_require(doc, n, "files", "cda_exports", d)) && sh_y_expect(doc, v, SH_Y_SEQ, "files", d))
    for (size_t i = 0; i < v->n; i++) {
      sh_pkgpath *pp = pkgpath(ev, doc, v->items[i], true, d);
      if (pp) sh_vec_push(&ev->cda_files, pp);
    }
}

/* Derived facts: data.sensitivity_levels and data.max_sensitivity_level from data items. */
static void derive_levels(sh_evidence *ev) {
  const sh_fact *lv = sh_vocab_find(ev->vocab, "data.sensitivity_levels");
  const sh_fact *mx = sh_vocab_find(ev->vocab, "data.max_sensitivity_level");
  if (ev->data_items.n == 0) return;
  uint64_t mask = 0;
  int max = -1;
  bool all_known = true;
  for (size_t i = 0; i < ev->data_items.n; i++) {
    const sh_data_item *di = ev->data_items.v[i];
    if (di->level < 0) {
      all_known = false;
      continue;
    }
    if (lv) {
      char name[16];
      snprintf(name, sizeof name, "level%d", di->level);
      int k = sh_fact_value_index(lv, name);
      if (k >= 0) mask |= 1ull << k;
    }
    if (di->level > max) max = di->level;
  }
  if (!all_known) return; /* a level decided elsewhere (CDA item codes) is still missing: stay unknown */
  if (lv && lv->type == SH_T_SET) {
    sh_value v = {.type = SH_T_SET, .set = mask};
    sh_fact_value *fv = sh_evidence_set(ev, lv, &v, SH_PROV_DECLARED, SH_EVIDENCE_NAME, 0, 0);
    fv->detail = sh_strdup("derived from data_items");
  }
  if (mx && mx->type == SH_T_INT && max >= 0) {
    sh_value v = {.type = SH_T_INT, .i = max};
    sh_fact_value *fv = sh_evidence_set(ev, mx, &v, SH_PROV_DECLARED, SH_EVIDENCE_NAME, 0, 0);
    fv->detail = sh_strdup("derived from data_items");
  }
}

/* data.purposes and data.recipients: the union over the data items (left unset when no item names any). */
static void derive_uses(sh_evidence *ev) {
  static const char *const ids[] = {"data.purposes", "data.recipients"};
  for (int w = 0; w < 2; w++) {
    const sh_fact *f = sh_vocab_find(ev->vocab, ids[w]);
    if (!f || f->type != SH_T_SET) continue;
    uint64_t mask = 0;
    bool any = false;
    for (size_t i = 0; i < ev->data_items.n; i++) {
      const sh_data_item *di = ev->data_items.v[i];
      const sh_vec *l = w == 0 ? &di->purposes : &di->recipients;
      for (size_t k = 0; k < l->n; k++) {
        int x = sh_fact_value_index(f, l->v[k]);
        if (x >= 0) mask |= 1ull << x;
        any = true;
      }
    }
    if (!any) continue;
    sh_value v = {.type = SH_T_SET, .set = mask};
    sh_fact_value *fv = sh_evidence_set(ev, f, &v, SH_PROV_DECLARED, ev->file, 0, 0);
    fv->detail = sh_strdup("derived from data_items");
  }
}

/* Facts derived from the data items have the provenance of their inputs: the data items are attested when a
 * document in good standing attests one of these facts (a data inventory), and then all of them are. */
static void derived_provenance(sh_evidence *ev) {
  static const char *const ids[] = {"data.sensitivity_levels", "data.max_sensitivity_level", "data.purposes",
                                    "data.recipients"};
  sh_fact_value *fvs[4] = {0};
  sh_vec docs = {0};
  for (int k = 0; k < 4; k++) {
    const sh_fact *f = sh_vocab_find(ev->vocab, ids[k]);
    fvs[k] = f ? ev->values[f->index] : NULL;
    if (!fvs[k]) continue;
    for (size_t j = 0; j < fvs[k]->documents.n; j++) {
      const sh_document *dc = fvs[k]->documents.v[j];
      bool seen = false;
      for (size_t m = 0; m < docs.n; m++) seen |= docs.v[m] == dc;
      if (!seen) sh_vec_push(&docs, (void *)dc);
    }
  }
  bool attested = false;
  for (size_t m = 0; m < docs.n; m++) attested |= ((const sh_document *)docs.v[m])->status == SH_DOC_OK;
  for (int k = 0; k < 4; k++) {
    if (!fvs[k] || !fvs[k]->detail || strcmp(fvs[k]->detail, "derived from data_items") != 0) continue;
    for (size_t m = 0; m < docs.n; m++) {
      bool seen = false;
      for (size_t j = 0; j < fvs[k]->documents.n; j++) seen |= fvs[k]->documents.v[j] == docs.v[m];
      if (!seen) sh_vec_push(&fvs[k]->documents, docs.v[m]);
    }
    fvs[k]->prov = attested ? SH_PROV_ATTESTED : SH_PROV_DECLARED;
  }
  sh_vec_free(&docs);
}

void sh_evidence_derive(sh_evidence *ev) {
  derive_levels(ev);
  derive_uses(ev);
  /* Attestation: a declared value attested by a listed document in good standing becomes attested. */
  for (size_t i = 0; i < ev->documents.n; i++) {
    sh_document *dc = ev->documents.v[i];
    for (size_t k = 0; k < dc->attests.n; k++) {
      const sh_fact *f = dc->attests.v[k];
      sh_fact_value *fv = ev->values[f->index];
      if (!fv) continue;
      bool seen = false;
      for (size_t j = 0; j < fv->documents.n; j++) seen |= fv->documents.v[j] == dc;
      if (!seen) sh_vec_push(&fv->documents, dc);
      if (dc->status == SH_DOC_OK && fv->prov == SH_PROV_DECLARED) fv->prov = SH_PROV_ATTESTED;
    }
  }
  derived_provenance(ev);
}

static bool is_empty(const sh_ynode *n) {
  return n->kind == SH_Y_SCALAR && n->plain && (n->len == 0 || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0);
}

sh_evidence *sh_evidence_load(const sh_vocab *vocab, const char *dir, sh_diags *d) {
  int rootfd = sh_open_root(dir);
  if (rootfd < 0) {
    sh_error_io(d, dir, 0, 0, "evidence folder not found (give a folder holding evidence.yaml)");
    return NULL;
  }
  sh_evidence *ev = sh_calloc(1, sizeof *ev);
  ev->dir = sh_strdup(dir);
  ev->file = sh_path_join(dir, "evidence.yaml");
  ev->vocab = vocab;
  ev->nvalues = sh_vocab_count(vocab);
  ev->values = sh_calloc(ev->nvalues, sizeof *ev->values);
  size_t before = d->nerrors;
  char *text = NULL;
  size_t len = 0;
  /* evidence.yaml itself is opened like any file of the package: a link leaving the folder, a FIFO or a device
   * is refused before anything is read from it. */
  size_t before_open = d->nerrors;
  int fd = sh_open_beneath(rootfd, "evidence.yaml", 0, &(sh_fref){{ev->file, 0, 0}, NULL, true}, d);
  if (fd < 0 && d->nerrors == before_open) sh_error_io(d, ev->file, 0, 0, "cannot read: %s", sh_fio_strerror(errno));
  if (fd < 0 || sh_ydoc_read_fd(ev->file, fd, &text, &len, d) != 0) {
    if (fd >= 0) close(fd);
    close(rootfd);
    sh_evidence_free(ev);
    return NULL;
  }
  close(fd);
  sh_sha256_hex(text, len, ev->sha256);
  sh_ydoc *doc = sh_ydoc_load_string(ev->file, text, len, d);
  free(text);
  if (!doc) {
    close(rootfd);
    sh_evidence_free(ev);
    return NULL;
  }
  const sh_ynode *root = doc->root;
  if (!root || root->kind != SH_Y_MAP) {
    sh_error(d, ev->file, root ? root->line : 1, root ? root->col : 1, "evidence.yaml must be a mapping");
  } else {
    static const char *const keys[] = {"applicant", "frameworks", "facts", "documents", "data_items",
                                       "certifications", "probes", "cda_exports", "item_codes", "answers", "answers_file", NULL};
    sh_y_check_keys(doc, root, keys, "evidence.yaml", d);
    const sh_ynode *v;
    if ((v = sh_y_require(doc, root, "applicant", "evidence.yaml", d))) load_applicant(ev, doc, v, d);
    if ((v = sh_ymap_get(root, "frameworks"))) {
      str_list(doc, v, &ev->frameworks, "frameworks", d);
      /* where each id is written, for errors about it (str_list kept the string items in order) */
      for (size_t i = 0; i < (v->kind == SH_Y_SEQ ? v->n : v->kind == SH_Y_SCALAR ? 1 : 0); i++) {
        const sh_ynode *it = v->kind == SH_Y_SEQ ? v->items[i] : v;
        if (it->kind != SH_Y_SCALAR) continue;
        sh_loc *l = sh_calloc(1, sizeof *l);
        l->line = it->line;
        l->col = it->col;
        sh_vec_push(&ev->frameworks_at, l);
      }
    }
    /* A key with nothing under it (only comments, as `shinsa init` writes them) is an empty list. */
    if ((v = sh_ymap_get(root, "facts")) && !is_empty(v)) load_facts(ev, doc, v, d);
    if ((v = sh_ymap_get(root, "documents")) && !is_empty(v)) load_documents(ev, doc, v, d);
    if ((v = sh_ymap_get(root, "data_items")) && !is_empty(v)) load_data_items(ev, doc, v, d);
    if ((v = sh_ymap_get(root, "certifications"))) load_certs(ev, doc, v, d);
    if ((v = sh_ymap_get(root, "probes"))) load_probes(ev, doc, v, d);
    if ((v = sh_ymap_get(root, "cda_exports"))) load_cda(ev, doc, v, d);
    if ((v = sh_ymap_get(root, "item_codes"))) ev->item_codes = pkgpath(ev, doc, v, false, d);
    if ((v = sh_ymap_get(root, "answers"))) sh_answers_load(ev, doc, v, d);
    if ((v = sh_ymap_get(root, "answers_file"))) {
      sh_pkgpath *pp = pkgpath(ev, doc, v, true, d);
      if (pp) {
        ev->answers_file = sh_strdup(pp->path);
        sh_answers_load_file(ev, pp->abs, pp->path, doc, v, d);
      }
      free_pkgpath(pp);
    }
  }
  if (d->nerrors == before)
    for (size_t i = 0; i < ev->documents.n; i++) check_document(ev, ev->documents.v[i], doc, rootfd, d);
  close(rootfd);
  sh_ydoc_free(doc);
  if (d->nerrors != before) {
    sh_evidence_free(ev);
    return NULL;
  }
  sh_evidence_derive(ev);
  return ev;
}
