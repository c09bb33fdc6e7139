/* store: dispatch to a back end by location, and shared helpers. See store.h. */
#include "store.h"

#include <stdlib.h>
#include <string.h>

void sh_run_summary_free(void *p) {
  sh_run_summary *r = p;
  if (!r) return;
  free(r->recorded_at);
  free(r->applicant);
  free(r->assessment_date);
  free(r->frameworks);
  free(r);
}

sh_store *sh_store_open(const char *location, sh_diags *d) {
  if (sh_str_startswith(location, "postgresql:") || sh_str_startswith(location, "postgres:")) {
    sh_error(d, location, 0, 0, "PostgreSQL stores are not supported in this build");
    return NULL;
  }
  return sh_store_sqlite_open(location, d);
}

void sh_store_close(sh_store *s) {
  if (s) s->ops->close(s);
}
