/* cmd/db: the `shinsa db` group: `shinsa db migrate` brings a store's schema up to this shinsa's. */
#include "cmd.h"

#include <stdlib.h>

typedef struct {
  const char *db;
} migrate_opts;

static const sh_cli_opt migrate_opts_table[] = {
  SH_OPT_DB(migrate_opts, true),
  SH_CLI_OPT_END,
};

static void run_migrate(void *vo, const sh_cli_args *pos, sh_diags *d) {
  migrate_opts *o = vo;
  int from = 0, to = 0;
  if (sh_store_migrate(o->db, &from, &to, d) != 0) return;
  char *shown = sh_store_redact(o->db);
  if (from == to) printf("shinsa: %s is at schema version %d already: nothing to do\n", shown, to);
  else printf("shinsa: %s migrated from schema version %d to %d\n", shown, from, to);
  free(shown);
}

static const sh_cli_cmd sh_cmd_db_migrate = {
  .name = "migrate",
  .summary = "bring a database's schema up to this shinsa's",
  .usage = "--db DB",
  .description = "Upgrades the schema of an existing shinsa database in one transaction (a store made by an older\n"
                 "shinsa). The commands that only read (history, report, diff, log verify) never migrate: they ask\n"
                 "for this command instead. A database of another application is refused and left untouched.\n",
  .opts = migrate_opts_table,
  .opts_size = sizeof(migrate_opts),
  .run = run_migrate,
  .examples = (const sh_cli_example[]){
    {"db migrate --db runs.db", "upgrades runs.db (or says it is current)"},
    {"db migrate --db /srv/shinsa/audit.db", "the same on the production database"},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, "migrated, or already current"},
                                 {2, "usage or I/O error (no such database, not a shinsa store, newer schema)"},
                                 {0, NULL}},
};

const sh_cli_cmd sh_cmd_db = {
  .name = "db",
  .summary = "maintain a database (schema migration)",
  .usage = "COMMAND [OPTIONS]",
  .description = "Maintenance of a shinsa database.\n",
  .subs = (const sh_cli_cmd *const[]){&sh_cmd_db_migrate, NULL},
  .examples = (const sh_cli_example[]){
    {"db migrate --db runs.db", "upgrades the schema of runs.db"},
    {"help db migrate", "the help of 'db migrate'"},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, "success"}, {2, "usage or I/O error"}, {0, NULL}},
};
