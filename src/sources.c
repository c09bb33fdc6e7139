/* sources: see sources.h. */
#include "sources.h"

#include "util.h"
#include "yamldoc.h"

#include <stdlib.h>

struct sh_sources {
  sh_ydoc *doc;
  const sh_ynode *map;
};

sh_sources *sh_sources_load(const char *data_dir) {
  sh_sources *s = sh_calloc(1, sizeof *s);
  if (!data_dir) return s;
  char *p = sh_path_join(data_dir, "rules/sources.yaml");
  sh_diags d = {0};
  s->doc = sh_ydoc_load_file(p, &d); /* absent or invalid: sources are cited by file name */
  sh_diags_free(&d);
  free(p);
  if (s->doc) s->map = sh_ymap_get(s->doc->root, "sources");
  return s;
}

const char *sh_sources_field(const sh_sources *s, const char *file, const char *key) {
  const sh_ynode *e = s && s->map && file ? sh_ymap_get(s->map, file) : NULL;
  const sh_ynode *v = e && e->kind == SH_Y_MAP ? sh_ymap_get(e, key) : NULL;
  return v && v->kind == SH_Y_SCALAR ? v->str : NULL;
}

void sh_sources_free(sh_sources *s) {
  if (!s) return;
  sh_ydoc_free(s->doc);
  free(s);
}
