/* cmd/common: helpers shared by the subcommands. See cmd.h. */
#include "cmd.h"

#include "framework.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

sh_store *sh_cmd_open_existing_store(const char *db, sh_diags *d) {
  FILE *probe = fopen(db, "rb");
  if (!probe) {
    sh_error_io(d, db, 0, 0, "no such database: %s", strerror(errno));
    return NULL;
  }
  fclose(probe);
  return sh_store_open(db, d);
}
