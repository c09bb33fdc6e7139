/* cmd/db: the `shinsa db` group: `shinsa db migrate` brings a store's schema up to this shinsa's; `shinsa db copy`
 * copies a store between back ends (SQLite <-> PostgreSQL, store_copy.c). */
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
  if (from == to) printf(_("shinsa: %s is at schema version %d already: nothing to do\n"), shown, to);
  else printf(_("shinsa: %s migrated from schema version %d to %d\n"), shown, from, to);
  free(shown);
}

static const sh_cli_cmd sh_cmd_db_migrate = {
  .name = "migrate",
  .summary = N_("bring a database's schema up to this shinsa's"),
  .usage = "--db DB",
  .description = N_("Upgrades the schema of an existing shinsa database in one transaction (a store made by an older\n"
                 "shinsa). The commands that only read (history, report, diff, log verify) never migrate: they ask\n"
                 "for this command instead. A database of another application is refused and left untouched. On\n"
                 "PostgreSQL an empty schema becomes a store (run it as the schema's owner; docs/postgresql.md).\n"),
  .opts = migrate_opts_table,
  .opts_size = sizeof(migrate_opts),
  .run = run_migrate,
  .examples = (const sh_cli_example[]){
    {"db migrate --db runs.db", N_("upgrades runs.db (or says it is current)")},
    {"db migrate --db /srv/shinsa/audit.db", N_("the same on the production database")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("migrated, or already current")},
                                 {2, N_("usage or I/O error (no such database, not a shinsa store, newer schema)")},
                                 {0, NULL}},
};

typedef struct {
  const char *from, *to;
} copy_opts;

static const sh_cli_opt copy_opts_table[] = {
  {"from", 0, SH_CLI_STR, offsetof(copy_opts, from), "DB", NULL, N_("the store to copy (a SQLite file or a URL)"), NULL,
   true},
  {"to", 0, SH_CLI_STR, offsetof(copy_opts, to), "DB", NULL,
   N_("the new store: a SQLite file that does not exist, or an empty PostgreSQL schema"), NULL, true},
  SH_CLI_OPT_END,
};

static void run_copy(void *vo, const sh_cli_args *pos, sh_diags *d) {
  copy_opts *o = vo;
  (void)pos;
  size_t rows = 0;
  int rc = sh_store_copy(o->from, o->to, &rows, d);
  if (rc < 0) return;
  char *from = sh_store_redact(o->from), *to = sh_store_redact(o->to);
  printf(rows == 1 ? _("shinsa: copied %zu row from %s to %s\n") : _("shinsa: copied %zu rows from %s to %s\n"), rows, from, to);
  if (rc == 0) printf(_("shinsa: the copy's audit log verifies (shinsa log verify --db %s)\n"), to);
  free(from);
  free(to);
}

static const sh_cli_cmd sh_cmd_db_copy = {
  .name = "copy",
  .summary = N_("copy a store into a new one, between SQLite and PostgreSQL"),
  .usage = "--from DB --to DB",
  .description = N_("Copies every table of a store row for row (runs, snapshots, reviews, waivers, the roster, the\n"
                 "audit log and the store id, which signatures name) into a new store, in one transaction of the\n"
                 "target: SQLite to PostgreSQL when a certifying body moves to a shared server, and back. The source\n"
                 "is only read and must be at this shinsa's schema (db migrate). Then the target's audit log is\n"
                 "verified as 'log verify' does. On failure the target holds no copied row (a SQLite file this\n"
                 "command created is removed).\n"),
  .opts = copy_opts_table,
  .opts_size = sizeof(copy_opts),
  .run = run_copy,
  .examples = (const sh_cli_example[]){
    {"db copy --from runs.db --to 'postgresql://owner@db/shinsa?options=-csearch_path%3Dshinsa'",
     N_("moves a store to PostgreSQL")},
    {"db copy --from 'postgresql://reader@db/shinsa' --to archive-2026.db", N_("a SQLite copy of the shared store")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("copied, and the copy's audit log verifies")},
                                 {1, N_("copied, but the copy's audit log does not verify (the source's did not either)")},
                                 {2, N_("usage or I/O error (target exists or is not empty, source not current, unknown"
                                     " table)")},
                                 {0, NULL}},
};

const sh_cli_cmd sh_cmd_db = {
  .name = "db",
  .summary = N_("maintain a database (schema migration, copy between SQLite and PostgreSQL)"),
  .usage = "COMMAND [OPTIONS]",
  .description = N_("Maintenance of a shinsa database.\n"),
  .subs = (const sh_cli_cmd *const[]){&sh_cmd_db_migrate, &sh_cmd_db_copy, NULL},
  .examples = (const sh_cli_example[]){
    {"db migrate --db runs.db", N_("upgrades the schema of runs.db")},
    {"db copy --from runs.db --to 'postgresql:///shinsa'", N_("copies runs.db into PostgreSQL")},
    {"help db migrate", N_("the help of 'db migrate'")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("success")}, {1, N_("the copy's audit log does not verify")},
                                 {2, N_("usage or I/O error")}, {0, NULL}},
};
