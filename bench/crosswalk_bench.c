/* crosswalk_bench: a benchmark (not a test): generates a shared vocabulary and two frameworks of
 * N items each (default 2,000), then times the full crosswalk in both directions. Usage:
 *   crosswalk_bench [N] [WORKDIR]      (files are written to WORKDIR, default a fresh /tmp folder) */
#include "crosswalk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static unsigned rnd(unsigned n) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (unsigned)(rng % n);
}

#define NFACTS 400
#define NIMPL 120
enum { FB, FI, FE, FS };
static int ftype(int k) { return k % 10 < 4 ? FB : k % 10 < 7 ? FI : k % 10 < 8 ? FE : FS; }

/* One random atom on fact k; strict = a tighter variant (for items that imply others). */
static void atom(sh_buf *b, int k, int variant) {
  switch (ftype(k)) {
  case FB: sh_buf_printf(b, "f%d", k); break;
  case FI: sh_buf_printf(b, "f%d >= %d", k, 10 + 10 * variant); break;
  case FE: sh_buf_printf(b, "f%d in [%s]", k, variant ? "v0, v1" : "v0, v1, v2"); break;
  case FS: sh_buf_printf(b, "f%d contains %s [v0, v1]", k, variant ? "all" : "any"); break;
  }
}

static void write_file(const char *path, const char *s) {
  FILE *f = fopen(path, "w");
  if (!f || fputs(s, f) < 0 || fclose(f) != 0) {
    perror(path);
    exit(2);
  }
}

static void gen_framework(const char *path, const char *id, size_t n, int strict, const int (*shape)[3]) {
  sh_buf b = {0};
  sh_buf_printf(&b, "framework:\n  id: %s\n  title: {ja: %s, en: %s}\n  version: \"1\"\nitems:\n", id, id, id);
  for (size_t i = 0; i < n; i++) {
    sh_buf_printf(&b, "  - id: \"i%zu\"\n    text: {ja: \"項目%zu\", en: \"item %zu\"}\n    strength: must\n", i, i, i);
    const int *sh = shape[i];
    if (sh[0] % 5 == 0) {
      sh_buf_puts(&b, "    applies_if: \"");
      atom(&b, (sh[0] / 5 * 10) % NFACTS, 0); /* a boolean fact */
      sh_buf_puts(&b, "\"\n");
    }
    sh_buf_puts(&b, "    require: \"");
    int natoms = 1 + sh[2] % 3;
    for (int a = 0; a < natoms; a++) {
      if (a) sh_buf_puts(&b, (sh[2] % 7 == 0 && a == 1) ? " or " : " and ");
      int k = (sh[1] + a * 37) % NFACTS;
      /* the strict framework is tighter on some items, looser on others */
      atom(&b, k, strict ? (sh[2] % 4 != 0) : (sh[2] % 4 == 1));
    }
    sh_buf_puts(&b, "\"\n    source: {document: generated, lines: \"1\", form: derived}\n");
  }
  write_file(path, sh_buf_str(&b));
  sh_buf_free(&b);
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  size_t n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 2000;
  char tmpl[] = "/tmp/shinsa-bench-XXXXXX";
  const char *dir = argc > 2 ? argv[2] : mkdtemp(tmpl);
  if (!dir) return perror("mkdtemp"), 2;
  char *vpath = sh_path_join(dir, "facts.yaml"), *spath = sh_path_join(dir, "source.yaml"),
       *tpath = sh_path_join(dir, "target.yaml");
  sh_buf b = {0};
  sh_buf_puts(&b, "vocabulary:\n  id: bench\n  version: \"1\"\nfacts:\n");
  for (int k = 0; k < NFACTS; k++) {
    static const char *tn[] = {"boolean", "integer", "enum", "set"};
    sh_buf_printf(&b, "  - id: f%d\n    type: %s\n", k, tn[ftype(k)]);
    if (ftype(k) >= FE) sh_buf_puts(&b, "    values: [v0, v1, v2, v3]\n");
    sh_buf_printf(&b, "    label: {ja: 事実%d, en: fact %d}\n", k, k);
  }
  sh_buf_puts(&b, "implications:\n");
  for (int i = 0; i < NIMPL; i++) {
    int a = 10 * (int)rnd(NFACTS / 10) + 4, c = 10 * (int)rnd(NFACTS / 10); /* integer => boolean */
    sh_buf_printf(&b, "  - if: \"f%d >= %d\"\n    then: \"f%d\"\n", a, 1 + (int)rnd(20), c);
  }
  write_file(vpath, sh_buf_str(&b));
  sh_buf_free(&b);
  int(*shape)[3] = sh_malloc(n * sizeof *shape);
  for (size_t i = 0; i < n; i++) {
    shape[i][0] = (int)rnd(1000);
    shape[i][1] = (int)rnd(NFACTS);
    shape[i][2] = (int)rnd(1000);
  }
  gen_framework(spath, "bench-source", n, 1, (const int(*)[3])shape);
  /* The target shares most items' shapes with the source and has a tenth of its own. */
  for (size_t i = 0; i < n; i += 10) shape[i][1] = (int)rnd(NFACTS);
  gen_framework(tpath, "bench-target", n, 0, (const int(*)[3])shape);
  free(shape);

  sh_diags d = {0};
  const char *vp[] = {vpath};
  double t0 = now();
  sh_vocab *v = sh_vocab_load(vp, 1, &d);
  sh_framework *S = v ? sh_framework_load(v, spath, &d) : NULL, *T = v ? sh_framework_load(v, tpath, &d) : NULL;
  double t1 = now();
  if (!S || !T) {
    sh_diags_print(&d, stderr, false);
    return 3;
  }
  sh_logic_ctx *lc = sh_logic_new(v, NULL);
  double t2 = now();
  sh_crosswalk *xw = sh_crosswalk_compute(lc, S, T, NULL);
  double t3 = now();
  sh_crosswalk *back = sh_crosswalk_compute(lc, T, S, NULL);
  double t4 = now();
  printf("shinsa crosswalk benchmark: %d facts, %d implications, %zu + %zu items\n", NFACTS, NIMPL, S->items.n,
         T->items.n);
  printf("load (vocabulary + 2 frameworks): %.3f s\n", t1 - t0);
  printf("crosswalk source -> target: %.3f s  (A %zu, B %zu, C %zu, D %zu, unknown %zu)\n", t3 - t2,
         xw->totals[SH_XW_A], xw->totals[SH_XW_B], xw->totals[SH_XW_C], xw->totals[SH_XW_D],
         xw->totals[SH_XW_UNKNOWN]);
  printf("crosswalk target -> source: %.3f s  (A %zu, B %zu, C %zu, D %zu, unknown %zu)\n", t4 - t3,
         back->totals[SH_XW_A], back->totals[SH_XW_B], back->totals[SH_XW_C], back->totals[SH_XW_D],
         back->totals[SH_XW_UNKNOWN]);
  sh_crosswalk_free(xw);
  sh_crosswalk_free(back);
  sh_logic_free(lc);
  sh_framework_free(S);
  sh_framework_free(T);
  sh_vocab_free(v);
  sh_diags_free(&d);
  if (argc <= 2) {
    unlink(vpath);
    unlink(spath);
    unlink(tpath);
    rmdir(dir);
  }
  free(vpath);
  free(spath);
  free(tpath);
  return 0;
}
