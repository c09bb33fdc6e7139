/* probe: running the configuration probes, the probed-fact list, and merging probed facts into an
 * evidence package. See probe.h. */
#include "probe.h"
#include "i18n.h"

#include "cda.h"
#include "json.h"
#include "probe_conf.h"
#include "probe_pg.h"
#include "probe_ssh.h"
#include "probe_sys.h"
#include "probe_web.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

static void probed_free(void *p) {
  sh_probed *e = p;
  free(e->fact);
  free(e->value);
  free(e->file);
  free(e->detail);
  free(e);
}

void sh_probe_result_free(sh_probe_result *r) {
  if (!r) return;
  free(r->root);
  sh_vec_free_all(&r->facts, probed_free);
  sh_vec_free_all(&r->files, free);
  free(r);
}

void sh_probe_set(sh_probe_result *r, const char *fact, const char *value, const char *file, int line,
                  const char *detail) {
  sh_probed *e = NULL;
  for (size_t i = 0; i < r->facts.n && !e; i++)
    if (strcmp(((sh_probed *)r->facts.v[i])->fact, fact) == 0) e = r->facts.v[i];
  if (e) {
    free(e->value);
    free(e->file);
    free(e->detail);
  } else {
    e = sh_calloc(1, sizeof *e); /* owned by r->facts */
    e->fact = sh_strdup(fact);
    sh_vec_push(&r->facts, e);
  }
  e->value = sh_strdup(value);
  e->file = sh_strdup(file);
  e->line = line;
  e->detail = sh_strdup(detail);
}

const sh_probed *sh_probe_get(const sh_probe_result *r, const char *fact) {
  for (size_t i = 0; i < r->facts.n; i++)
    if (strcmp(((sh_probed *)r->facts.v[i])->fact, fact) == 0) return r->facts.v[i];
  return NULL;
}

sh_probe_result *sh_probe_run(const char *root, sh_diags *d) {
  struct stat st;
  if (stat(root, &st) != 0) {
    sh_error_io(d, root, 0, 0, "cannot read the probe root: %s", strerror(errno));
    return NULL;
  }
  if (!S_ISDIR(st.st_mode)) {
    sh_error(d, root, 0, 0, "the probe root is not a folder");
    return NULL;
  }
  char real[PATH_MAX];
  if (!realpath(root, real)) {
    sh_error_io(d, root, 0, 0, "cannot resolve the probe root: %s", strerror(errno));
    return NULL;
  }
  sh_probe_result *r = sh_calloc(1, sizeof *r); /* owned by the caller */
  r->root = sh_strdup(root);
  sh_pctx c = {.root = root, .root_real = sh_strdup(real), .root_fd = sh_open_root(real), .res = r, .d = d};
  sh_probe_ssh(&c);
  sh_probe_web(&c);
  sh_probe_pg(&c);
  sh_probe_sys(&c);
  free(c.root_real);
  if (c.root_fd >= 0) close(c.root_fd);
  return r;
}

bool sh_probe_check_vocab(const sh_probe_result *r, const sh_vocab *vocab, sh_diags *d) {
  bool ok = true;
  for (size_t i = 0; i < r->facts.n; i++) {
    const sh_probed *e = r->facts.v[i];
    const sh_fact *f = sh_vocab_find(vocab, e->fact);
    if (!f) {
      sh_error(d, e->file, e->line, 0, "probed fact '%s' is not in the vocabulary (rules/facts.d/system.yaml)",
               e->fact);
      ok = false;
      continue;
    }
    sh_value v;
    const char *err = NULL;
    if (!sh_value_from_string(f, e->value, &v, &err)) {
      sh_error(d, e->file, e->line, 0, "probed value '%s' does not fit fact '%s': %s", e->value, e->fact, _(err));
      ok = false;
      continue;
    }
    sh_value_clear(&v);
  }
  return ok;
}

int sh_probe_apply(const sh_probe_result *r, sh_evidence *ev, sh_diags *d) {
  if (!sh_probe_check_vocab(r, ev->vocab, d)) return -1;
  int merged = 0;
  for (size_t i = 0; i < r->facts.n; i++) {
    const sh_probed *e = r->facts.v[i];
    const sh_fact *f = sh_vocab_find(ev->vocab, e->fact);
    sh_value v;
    const char *err = NULL;
    if (!sh_value_from_string(f, e->value, &v, &err)) continue; /* checked above */
    const sh_fact_value *old = sh_evidence_get(ev, f);
    if (old && !sh_value_equal(&old->value, &v)) {
      char *a = sh_value_format(f, &old->value), *b = sh_value_format(f, &v);
      if (old->prov == SH_PROV_CONFIRMED) {
        sh_diag_add(d, SH_SEV_NOTE, e->file, e->line, 0,
                    "%s: probed %s differs from the value %s confirmed by a reviewer, which is kept", f->id, b, a);
        free(a);
        free(b);
        sh_value_clear(&v);
        continue;
      }
      sh_diag_add(d, SH_SEV_NOTE, e->file, e->line, 0, "%s: probed %s replaces the %s value %s (%s:%d)", f->id, b,
                  sh_prov_name(old->prov), a, old->origin ? old->origin : "?", old->line);
      free(a);
      free(b);
    } else if (old && old->prov == SH_PROV_CONFIRMED) {
      sh_value_clear(&v);
      continue;
    }
    sh_fact_value *fv = sh_evidence_set(ev, f, &v, SH_PROV_PROBED, e->file, e->line, 0);
    if (fv && e->detail) {
      free(fv->detail);
      fv->detail = sh_strdup(e->detail);
    }
    sh_value_clear(&v);
    merged++;
  }
  return merged;
}

int sh_probe_evidence(sh_evidence *ev, const char *extra_root, sh_diags *d) {
  size_t errors = d->nerrors;
  for (size_t i = 0; i <= ev->probe_dirs.n; i++) {
    const char *root = i < ev->probe_dirs.n ? ((const sh_pkgpath *)ev->probe_dirs.v[i])->abs : extra_root;
    if (!root) continue;
    sh_probe_result *r = sh_probe_run(root, d);
    if (!r) continue;
    if (r->facts.n == 0)
      sh_diag_add(d, SH_SEV_WARNING, root, 0, 0, "no configuration file known to the probes was found here");
    sh_probe_apply(r, ev, d);
    sh_probe_result_free(r);
  }
  sh_cda_apply(ev, d);
  sh_cda_item_levels(ev, d);
  sh_evidence_derive(ev);
  return d->nerrors > errors ? -1 : 0;
}

void sh_probe_print(const sh_probe_result *r, FILE *out) {
  for (size_t i = 0; i < r->facts.n; i++) {
    const sh_probed *e = r->facts.v[i];
    if (e->line > 0)
      sh_term_printf(out, "%s:%d: %s = %s", e->file ? e->file : "-", e->line, e->fact, e->value);
    else
      sh_term_printf(out, "%s: %s = %s", e->file ? e->file : "-", e->fact, e->value);
    if (e->detail && *e->detail) sh_term_printf(out, "  (%s)", e->detail);
    fputc('\n', out);
  }
}

void sh_probe_json(const sh_probe_result *r, sh_buf *out) {
  sh_json j;
  sh_json_init(&j, out);
  sh_json_obj_begin(&j);
  sh_json_kstr(&j, "root", r->root);
  sh_json_key(&j, "facts");
  sh_json_arr_begin(&j);
  for (size_t i = 0; i < r->facts.n; i++) {
    const sh_probed *e = r->facts.v[i];
    sh_json_obj_begin(&j);
    sh_json_kstr(&j, "fact", e->fact);
    sh_json_kstr(&j, "value", e->value);
    sh_json_kstr(&j, "file", e->file);
    sh_json_kint(&j, "line", e->line);
    sh_json_kstr(&j, "detail", e->detail);
    sh_json_obj_end(&j);
  }
  sh_json_arr_end(&j);
  sh_json_key(&j, "files");
  sh_json_arr_begin(&j);
  for (size_t i = 0; i < r->files.n; i++) sh_json_str(&j, r->files.v[i]);
  sh_json_arr_end(&j);
  sh_json_obj_end(&j);
  sh_buf_putc(out, '\n');
}
