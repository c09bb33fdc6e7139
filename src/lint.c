/* lint: validating shinsa's files. See lint.h. */
#include "lint.h"

#include "answers.h"
#include "crosswalk.h"
#include "evidence.h"
#include "framework.h"
#include "quotes.h"
#include "vocab.h"
#include "yamldoc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char evidence_name[] = "evidence.yaml";

static bool is_evidence_file(const char *path) {
  const char *slash = strrchr(path, '/');
  return strcmp(slash ? slash + 1 : path, evidence_name) == 0;
}

sh_file_kind sh_file_classify(const char *path, char **evdir, sh_diags *d) {
  *evdir = NULL;
  char *probe = sh_path_join(path, evidence_name);
  struct stat st; /* a folder holding evidence.yaml (whatever it is: loading it says what is wrong; never opened here) */
  bool has = lstat(probe, &st) == 0;
  free(probe);
  if (has) {
    *evdir = sh_strdup(path);
    return SH_FILE_EVIDENCE;
  }
  if (is_evidence_file(path)) {
    *evdir = sh_path_dirname(path);
    return SH_FILE_EVIDENCE;
  }
  sh_ydoc *doc = sh_ydoc_load_file(path, d);
  if (!doc) return SH_FILE_UNKNOWN;
  sh_file_kind k = SH_FILE_UNKNOWN;
  if (sh_ymap_get(doc->root, "framework")) k = SH_FILE_FRAMEWORK;
  else if (sh_ymap_get(doc->root, "overlay")) k = SH_FILE_OVERLAY;
  else if (sh_ymap_get(doc->root, "facts") && !sh_ymap_get(doc->root, "applicant")) k = SH_FILE_VOCAB;
  else if (sh_ymap_get(doc->root, "applicant")) k = SH_FILE_EVIDENCE;
  if (k == SH_FILE_UNKNOWN)
    sh_error(d, path, doc->root ? doc->root->line : 1, doc->root ? doc->root->col : 1,
             "not a shinsa file: expected a framework (framework:), an overlay (overlay:), a vocabulary (facts:) or "
             "evidence (applicant:)");
  if (k == SH_FILE_EVIDENCE) *evdir = sh_path_dirname(path);
  sh_ydoc_free(doc);
  return k;
}

static void check_quotes(const sh_framework *fw, const char *sources, sh_lint_stats *st, sh_diags *d) {
  if (!fw || !sources) return;
  int n = sh_quotes_check(fw, sources, d);
  if (n > 0) st->nquotes += (size_t)n;
}

void sh_lint_data_dir(const char *data_dir, const char *sources, sh_lint_stats *st, sh_diags *d) {
  sh_lint_data_dirs(data_dir, NULL, NULL, 0, sources, st, d);
}

void sh_lint_data_dirs(const char *data_dir, const void *rov, const char *const *mappings, size_t nmappings,
                       const char *sources, sh_lint_stats *st, sh_diags *d) {
  const sh_registry_opts *ro = rov;
  sh_registry_opts strict = ro ? *ro : (sh_registry_opts){0};
  strict.strict = true;
  sh_registry *reg = sh_registry_load_ex(data_dir, &strict, d);
  if (!reg) return;
  st->nfiles += reg->frameworks.n + reg->overlays.n + reg->vocab->files.n;
  /* curated relations of every data folder and --mapping, checked against derived ones */
  sh_xw_curated *cur = sh_xw_curated_load_registry(reg, mappings, nmappings, d);
  st->nfiles += cur->files.n;
  sh_crosswalk_lint(reg, cur, d);
  sh_xw_curated_free(cur);
  for (size_t i = 0; i < reg->frameworks.n; i++) check_quotes(reg->frameworks.v[i], sources, st, d);
  sh_registry_free(reg);
}

void sh_lint_paths(const char *data_dir, const char *const *paths, size_t n, const char *sources, sh_lint_stats *st,
                   sh_diags *d) {
  char *facts = sh_path_join(data_dir, "rules/facts.yaml");
  sh_vec vfiles = {0};
  sh_vec_push(&vfiles, facts);
  char *factsd = sh_path_join(data_dir, "rules/facts.d");
  sh_list_yaml_files(factsd, &vfiles);
  free(factsd);
  sh_diags vd = {0}; /* the vocabulary's own errors: shown only when a file needs it */
  sh_vocab *vocab = sh_vocab_load((const char *const *)vfiles.v, vfiles.n, &vd);
  sh_vec_free_all(&vfiles, free);
  sh_registry *reg = NULL; /* loaded when a package has answers: their keys name frameworks and items */
  for (size_t i = 0; i < n; i++) {
    const char *path = paths[i];
    char *evdir = NULL;
    st->nfiles++;
    sh_file_kind k = sh_file_classify(path, &evdir, d);
    if (k == SH_FILE_UNKNOWN) continue;
    if (k == SH_FILE_VOCAB) {
      const char *one[] = {path};
      sh_vocab_free(sh_vocab_load(one, 1, d));
    } else if (!vocab) {
      if (vd.n) sh_diags_move(d, &vd);
      else sh_error(d, path, 0, 0, "cannot check it: the vocabulary could not be loaded");
    } else if (k == SH_FILE_OVERLAY) {
      sh_registry_opts ro = {.user_dirs = true, .files = &path, .nfiles = 1, .strict = true};
      sh_registry_free(sh_registry_load_ex(data_dir, &ro, d));
    } else if (k == SH_FILE_FRAMEWORK) {
      sh_framework *fw = sh_framework_load(vocab, path, d);
      check_quotes(fw, sources, st, d);
      sh_framework_free(fw);
    } else {
      sh_evidence *ev = sh_evidence_load(vocab, evdir, d);
      if (ev && (ev->answers.n || ev->frameworks.n)) {
        if (!reg) reg = sh_registry_load(data_dir, d);
        if (reg) sh_answers_check(ev, reg, d);
        if (reg) sh_evidence_frameworks_check(ev, reg, d);
      }
      sh_evidence_free(ev);
    }
    free(evdir);
  }
  sh_registry_free(reg);
  sh_diags_free(&vd);
  sh_vocab_free(vocab);
}
