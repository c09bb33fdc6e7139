/* cmd/init: `shinsa init`: write a starting evidence package for the chosen frameworks (scaffold.c). */
#include "cmd.h"

#include "scaffold.h"

typedef struct {
  sh_vec framework;
  const char *data_dir;
} init_opts;

static const sh_cli_opt opts[] = {
  {"framework", 0, SH_CLI_LIST, offsetof(init_opts, framework), "ID|PATH", NULL,
   N_("a framework the package is checked against (at least one)"), NULL, true},
  SH_OPT_DATA_DIR(init_opts),
  SH_CLI_OPT_END,
};

static void run(void *vo, const sh_cli_args *pos, sh_diags *d) {
  init_opts *o = vo;
  sh_vec fws = {0}, ids = {0};
  sh_registry *reg = sh_cmd_registry(o->data_dir, &o->framework, false, &ids, d); /* ids or framework files */
  if (!reg) {
    sh_vec_free(&ids);
    return;
  }
  if (!sh_cmd_resolve_frameworks(reg, &ids, &fws, d)) goto done;
  if (sh_scaffold_init((const sh_framework *const *)fws.v, fws.n, pos->v[0], sh_date_today(), d) == 0)
    printf(fws.n == 1 ? _("shinsa: wrote %s/evidence.yaml (%zu framework); edit it, then run: shinsa check %s\n")
                      : _("shinsa: wrote %s/evidence.yaml (%zu frameworks); edit it, then run: shinsa check %s\n"),
           pos->v[0], fws.n, pos->v[0]);
done:
  sh_vec_free(&fws);
  sh_vec_free(&ids);
  sh_registry_free(reg);
}

const sh_cli_cmd sh_cmd_init = {
  .name = "init",
  .summary = N_("write a starting evidence package (every fact, an answers stub) for frameworks"),
  .usage = "--framework ID... DIR",
  .description = N_("Creates DIR (and DIR/docs) and writes DIR/evidence.yaml: the applicant block, every fact the\n"
                 "frameworks use (also those only in applies_if) as a commented entry with its type, allowed\n"
                 "values, labels and items, grouped by section, and an answers: stub with the question of every\n"
                 "manual item. It loads and lints as written. An existing evidence.yaml is never overwritten.\n"),
  .opts = opts,
  .opts_size = sizeof(init_opts),
  .min_pos = 1,
  .max_pos = 1,
  .pos_complete = "dir",
  .run = run,
  .examples = (const sh_cli_example[]){
    {"init --framework phr-2023 my-package", N_("a package for the PHR checksheet")},
    {"init --framework infobank-v3 --framework sensitivity-levels ib", N_("an information bank handling health data")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("written")}, {2, N_("usage or I/O error (DIR/evidence.yaml exists)")},
                                 {3, N_("invalid data")}, {0, NULL}},
};
