/* fuzz_common: see fuzz_common.h. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "fuzz_common.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "util.h"

static char *dir;
static sh_registry *reg;
static sh_strmap paths;

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  remove(p);
  return 0;
}

static void cleanup(void) {
  if (dir) nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
  for (size_t i = 0; i < paths.cap; i++)
    if (paths.keys && paths.keys[i]) free(paths.vals[i]);
  sh_strmap_free(&paths);
  free(dir);
  sh_registry_free(reg);
}

const char *fz_dir(void) {
  if (!dir) {
    char t[] = "/tmp/shinsa-fuzz-XXXXXX";
    if (!mkdtemp(t)) {
      perror("mkdtemp");
      abort();
    }
    dir = sh_strdup(t);
    atexit(cleanup);
  }
  return dir;
}

static void mkparents(char *p) {
  for (char *s = p + strlen(fz_dir()) + 1; (s = strchr(s, '/')); s++) {
    *s = '\0';
    if (mkdir(p, 0700) != 0 && errno != EEXIST) {
      perror(p);
      abort();
    }
    *s = '/';
  }
}

const char *fz_write(const char *rel, const uint8_t *data, size_t size) {
  char *p = sh_strmap_get(&paths, rel);
  if (!p) {
    p = sh_path_join(fz_dir(), rel);
    mkparents(p);
    sh_strmap_put(&paths, rel, p);
  }
  FILE *f = fopen(p, "wb");
  if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
    perror(p);
    abort();
  }
  return p;
}

const sh_registry *fz_registry(void) {
  if (!reg) {
    sh_diags d = {0};
    /* SHINSA_FUZZ_DATA_DIR: a frozen copy of rules/ and checklists/ for long campaigns while the tree changes. */
    const char *dd = getenv("SHINSA_FUZZ_DATA_DIR");
    reg = sh_registry_load(dd && *dd ? dd : SHINSA_SOURCE_ROOT, &d);
    if (!reg) {
      sh_diags_print(&d, stderr, false);
      abort();
    }
    sh_diags_free(&d);
    fz_dir();
  }
  return reg;
}

char *fz_cstr(const uint8_t *data, size_t size) {
  char *s = sh_malloc(size + 1);
  if (size) memcpy(s, data, size);
  s[size] = '\0';
  return s;
}
