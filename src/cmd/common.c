/* cmd/common: helpers shared by the subcommands. See cmd.h. */
#include "cmd.h"

#include "framework.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const sh_cmd_langs[] = {"ja", "en", NULL};
const char *const sh_cmd_text_json[] = {"text", "json", NULL};

const char *sh_cmd_data_dir(const char *opt) { return opt ? opt : sh_data_dir_default(); }

bool sh_cmd_run_id(const char *s, int64_t *out, sh_diags *d) {
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || end == s || *end || v <= 0) {
    sh_error_usage(d, "'%s' is not a run number (see 'shinsa history')", s);
    return false;
  }
  *out = v;
  return true;
}

/* A SQLite store path names an existing regular file (fileio.h): a FIFO or device is refused, never waited on;
 * false after an I/O error in d. */
static bool db_file_exists(const char *db, sh_diags *d) {
  int fd = sh_open_input(db, 0);
  if (fd < 0) {
    if (errno == ENOENT) sh_error_io(d, db, 0, 0, "no such database: %s", sh_fio_strerror(errno));
    else sh_error_io(d, db, 0, 0, "not a database file: %s", sh_fio_strerror(errno));
    return false;
  }
  close(fd);
  return true;
}

sh_store *sh_cmd_open_existing_store(const char *db, sh_diags *d) {
  if (sh_store_is_pg(db)) return sh_store_pg_open_existing(db, d);
  if (!db_file_exists(db, d)) return NULL;
  return sh_store_open(db, d);
}

static sh_registry *registry(const char *data_dir_opt, const sh_vec *fw_args, bool strict, bool lazy, sh_vec *ids,
                             sh_diags *d);

sh_registry *sh_cmd_registry(const char *data_dir_opt, const sh_vec *fw_args, bool strict, sh_vec *ids, sh_diags *d) {
  return registry(data_dir_opt, fw_args, strict, false, ids, d);
}

sh_registry *sh_cmd_registry_lazy(const char *data_dir_opt, const sh_vec *fw_args, sh_vec *ids, sh_diags *d) {
  return registry(data_dir_opt, fw_args, false, true, ids, d);
}

static sh_registry *registry(const char *data_dir_opt, const sh_vec *fw_args, bool strict, bool lazy, sh_vec *ids,
                             sh_diags *d) {
  sh_vec files = {0};
  for (size_t i = 0; fw_args && i < fw_args->n; i++) {
    const char *a = fw_args->v[i];
    if (!sh_framework_arg_is_path(a)) continue;
    if (access(a, R_OK) != 0) {
      sh_error_io(d, a, 0, 0, "cannot read framework file: %s", strerror(errno));
      continue;
    }
    sh_vec_push(&files, (void *)a);
  }
  if (d->nerrors) {
    sh_vec_free(&files);
    return NULL;
  }
  sh_registry_opts ro = {.user_dirs = true, .files = (const char *const *)files.v, .nfiles = files.n,
                         .strict = strict, .lazy = lazy};
  sh_registry *reg = sh_registry_load_ex(sh_cmd_data_dir(data_dir_opt), &ro, d);
  sh_vec_free(&files);
  if (!reg) return NULL;
  for (size_t i = 0; ids && fw_args && i < fw_args->n; i++) {
    const char *a = fw_args->v[i];
    if (!sh_framework_arg_is_path(a)) {
      sh_vec_push(ids, (void *)a);
      continue;
    }
    const sh_framework *fw = sh_registry_find_path(reg, a);
    if (fw) sh_vec_push(ids, fw->id);
  }
  return reg;
}

bool sh_cmd_resolve_frameworks(const sh_registry *reg, const sh_vec *ids, sh_vec *fws, sh_diags *d) {
  for (size_t k = 0; k < ids->n; k++) {
    const sh_framework *fw = sh_registry_find(reg, ids->v[k]);
    if (!fw) {
      sh_error_usage(d, "unknown framework '%s' (see 'shinsa frameworks')", (const char *)ids->v[k]);
      return false;
    }
    bool dup = false; /* a framework file and its overlay name the same framework */
    for (size_t j = 0; j < fws->n; j++) dup |= fws->v[j] == fw;
    if (!dup) sh_vec_push(fws, (void *)fw);
  }
  return true;
}

sh_store *sh_cmd_open_store_readonly(const char *db, sh_diags *d) {
  if (sh_store_is_pg(db)) return sh_store_open_mode(db, SH_STORE_READ, d);
  if (!db_file_exists(db, d)) return NULL;
  return sh_store_open_mode(db, SH_STORE_READ, d);
}
