/* store_bench: a benchmark (not a test) of the run store: records N runs of an evidence package (default the
 * bundled examples/phr-operator against its frameworks) into DB through the store API, then times the reading
 * side in process: `log verify` (the whole audit chain) and `history` (list_runs). Usage:
 *   store_bench N DB [DATA_DIR EVIDENCE_DIR]
 * An existing DB with at least N runs is reused (recording is slow on purpose: one transaction per run). */
#include "auditlog.h"
#include "config.h"
#include "eval.h"
#include "evidence.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: the machine is shared */
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(sh_diags *d) {
  sh_diags_print(d, stderr, false);
  exit(2);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: store_bench N DB [DATA_DIR EVIDENCE_DIR]\n");
    return 2;
  }
  long n = atol(argv[1]);
  const char *db = argv[2];
  const char *data = argc > 3 ? argv[3] : SHINSA_SOURCE_ROOT;
  char *evdir = argc > 4 ? sh_strdup(argv[4]) : sh_path_join(SHINSA_SOURCE_ROOT, "examples/phr-operator");
  sh_diags d = {0};
  sh_store *s = sh_store_open(db, &d);
  if (!s) die(&d);
  sh_vec runs = {0};
  if (s->ops->list_runs(s, &runs, &d) != 0) die(&d);
  long have = (long)runs.n;
  sh_vec_free_all(&runs, sh_run_summary_free);
  if (have < n) {
    sh_registry *reg = sh_registry_load(data, &d);
    if (!reg) die(&d);
    sh_evidence *ev = sh_evidence_load(reg->vocab, evdir, &d);
    if (!ev) die(&d);
    sh_vec fws = {0};
    for (size_t i = 0; i < ev->frameworks.n; i++) {
      const sh_framework *fw = sh_registry_find(reg, ev->frameworks.v[i]);
      if (fw) sh_vec_push(&fws, (void *)fw);
    }
    sh_evaluation *e = sh_evaluate(ev, (const sh_framework *const *)fws.v, fws.n, NULL);
    sh_run_meta meta = {"bench", reg->vocab, 1, NULL, data};
    double t0 = now();
    for (long i = have; i < n; i++) {
      int64_t id;
      if (s->ops->record_run(s, e, &meta, &id, &d) != 0) die(&d);
    }
    fprintf(stderr, "recorded %ld runs (%zu results each) in %.1f s\n", n - have, e->results.n, now() - t0);
    sh_evaluation_free(e);
    sh_vec_free(&fws);
    sh_evidence_free(ev);
    sh_registry_free(reg);
  }
  sh_store_close(s);

  s = sh_store_open_mode(db, SH_STORE_READ, &d);
  if (!s) die(&d);
  double t0 = now();
  sh_log_status st = {0};
  int v = s->ops->verify_log(s, &st, &d);
  double tv = now() - t0;
  t0 = now();
  if (s->ops->list_runs(s, &runs, &d) != 0) die(&d);
  double th = now() - t0;
  printf("log verify: %s, %zu audit rows, %.3f s CPU = %.3f ms per run (%zu runs)\n", v == 0 ? "intact" : "NOT intact",
         st.rows, tv, tv * 1e3 / (double)runs.n, runs.n);
  printf("history (list_runs): %.3f s CPU = %.4f ms per run\n", th, th * 1e3 / (double)runs.n);
  sh_log_status_clear(&st);
  sh_vec_free_all(&runs, sh_run_summary_free);
  sh_store_close(s);
  sh_diags_free(&d);
  free(evdir);
  return v == 0 ? 0 : 1;
}
