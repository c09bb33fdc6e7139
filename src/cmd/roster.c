/* cmd/roster: the `shinsa reviewer` group (add, list, revoke: the store's reviewer roster) and the
 * `shinsa waiver` group (list, revoke). The work is in signoff.c and the store ops. */
#include "cmd.h"

#include "clock.h"
#include "review.h"
#include "roster.h"
#include "signoff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------- reviewer add ---------- */

typedef struct {
  const char *db, *key, *note, *data_dir;
  sh_vec roles;
} add_opts;

static const sh_cli_opt add_table[] = {
  {"role", 0, SH_CLI_LIST, offsetof(add_opts, roles), "ROLE", NULL, N_("a role the reviewer holds (repeat for more)"),
   NULL, true},
  {"key", 0, SH_CLI_STR, offsetof(add_opts, key), "PUBLIC_KEY_FILE", NULL, N_("the reviewer's OpenSSH public key (.pub)"),
   NULL, true},
  {"note", 0, SH_CLI_STR, offsetof(add_opts, note), "TEXT", "", N_("a note kept with the registration"), NULL, false},
  SH_OPT_DATA_DIR(add_opts),
  SH_OPT_DB(add_opts, true),
  SH_CLI_OPT_END,
};

static void run_add(void *vo, const sh_cli_args *pos, sh_diags *d) {
  add_opts *o = vo;
  char *text = NULL, *fp = NULL;
  size_t len;
  if (sh_read_file(o->key, 1 << 16, &text, &len) != 0) {
    sh_error_io(d, o->key, 0, 0, "cannot read the public key file");
    return;
  }
  sh_store *s = sh_cmd_open_existing_store(o->db, d);
  if (s && sh_signoff_reviewer_add(s, sh_cmd_data_dir(o->data_dir), pos->v[0], &o->roles, text, o->key, o->note, &fp,
                                   d) == 0) {
    sh_buf roles = {0};
    for (size_t i = 0; i < o->roles.n; i++) sh_buf_printf(&roles, "%s%s", i ? " " : "", (const char *)o->roles.v[i]);
    printf(o->roles.n == 1 ? _("shinsa: reviewer %s registered with role %s, key %s\n")
                           : _("shinsa: reviewer %s registered with roles %s, key %s\n"),
           pos->v[0], sh_buf_str(&roles), fp);
    sh_buf_free(&roles);
  }
  sh_store_close(s);
  free(fp);
  free(text);
}

static const sh_cli_cmd reviewer_add = {
  .name = "add",
  .summary = N_("register a reviewer with roles and an OpenSSH public key"),
  .usage = "--db DB --role ROLE [--role ROLE...] --key PUBLIC_KEY_FILE NAME",
  .description = N_("Adds NAME to the store's reviewer roster with the roles given (each defined in rules/quorum.yaml)\n"
                 "and the public half of the key the reviewer signs with (Ed25519, ECDSA or RSA >= 2048 bits). Adding\n"
                 "a registered reviewer again replaces their roles and key from now on; earlier decisions stay\n"
                 "verifiable with the key they were made with. The registration is logged in the audit log.\n"),
  .opts = add_table,
  .opts_size = sizeof(add_opts),
  .min_pos = 1,
  .max_pos = 1,
  .run = run_add,
  .examples = (const sh_cli_example[]){
    {"reviewer add --db runs.db --role auditor --key sato.pub Sato", N_("registers Sato as an auditor")},
    {"reviewer add --db runs.db --role auditor --role medical_professional --key ito.pub Ito", N_("two roles")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("registered")}, {2, N_("usage or I/O error (unknown role)")},
                                 {3, N_("not an OpenSSH public key")}, {0, NULL}},
};

/* ---------- reviewer list ---------- */

typedef struct {
  const char *db, *tz;
} list_opts;

static const sh_cli_opt list_table[] = {
  {"tz", 0, SH_CLI_STR, offsetof(list_opts, tz), "ZONE", NULL, N_("show times in this zone (default Asia/Tokyo)"), NULL,
   false},
  SH_OPT_DB(list_opts, true),
  SH_CLI_OPT_END,
};

static void run_list(void *vo, const sh_cli_args *pos, sh_diags *d) {
  list_opts *o = vo;
  const char *tz = sh_tz_pick(o->tz, NULL);
  if (!sh_tz_valid(tz)) {
    sh_error_usage(d, "unknown time zone '%s'", tz);
    return;
  }
  sh_store *s = sh_cmd_open_store_readonly(o->db, d);
  sh_vec ev = {0}, names = {0};
  if (s && s->ops->list_roster(s, &ev, d) == 0) {
    for (size_t i = 0; i < ev.n; i++) {
      const sh_roster_event *e = ev.v[i];
      bool seen = false;
      for (size_t k = 0; k < names.n; k++) seen |= strcmp(names.v[k], e->reviewer) == 0;
      if (!seen) sh_vec_push(&names, e->reviewer);
    }
    if (!names.n) fputs(_("no reviewers registered (shinsa reviewer add)\n"), stdout);
    for (size_t k = 0; k < names.n; k++) {
      const sh_roster_event *rev = NULL, *add = sh_roster_state(&ev, names.v[k], -1, &rev);
      if (add) {
        char *since = sh_time_show(add->recorded_at, tz);
        printf(_("%s\tactive\troles: %s\tkey: %s\tsince %s\n"), add->reviewer, add->roles, add->key_fingerprint, since);
        free(since);
      } else if (rev) {
        char *when = sh_time_show(rev->recorded_at, tz);
        printf(_("%s\trevoked %s%s%s\n"), rev->reviewer, when, rev->note[0] ? ": " : "", rev->note);
        free(when);
      }
    }
  }
  sh_vec_free(&names);
  sh_vec_free_all(&ev, sh_roster_event_free);
  sh_store_close(s);
}

static const sh_cli_cmd reviewer_list = {
  .name = "list",
  .summary = N_("list the store's reviewers, their roles and keys"),
  .usage = "--db DB [--tz ZONE]",
  .description = N_("Lists every reviewer ever registered: active ones with roles, key fingerprint and since when;\n"
                 "revoked ones with the time and note of the revocation.\n"),
  .opts = list_table,
  .opts_size = sizeof(list_opts),
  .run = run_list,
  .examples = (const sh_cli_example[]){
    {"reviewer list --db runs.db", N_("who may sign, with which roles and keys")},
    {"reviewer list --db runs.db --tz UTC", N_("times in UTC")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("success")}, {2, N_("usage or I/O error")}, {0, NULL}},
};

/* ---------- reviewer revoke ---------- */

typedef struct {
  const char *db, *note;
} revoke_opts;

static const sh_cli_opt revoke_table[] = {
  {"note", 0, SH_CLI_STR, offsetof(revoke_opts, note), "TEXT", "", N_("why (kept with the revocation)"), NULL, false},
  SH_OPT_DB(revoke_opts, true),
  SH_CLI_OPT_END,
};

static void run_revoke(void *vo, const sh_cli_args *pos, sh_diags *d) {
  revoke_opts *o = vo;
  sh_store *s = sh_cmd_open_existing_store(o->db, d);
  if (s && sh_signoff_reviewer_revoke(s, pos->v[0], o->note, d) == 0)
    printf(_("shinsa: reviewer %s revoked: later decisions by %s do not count; earlier ones stay verifiable\n"), pos->v[0],
           pos->v[0]);
  sh_store_close(s);
}

static const sh_cli_cmd reviewer_revoke = {
  .name = "revoke",
  .summary = N_("revoke a reviewer (earlier decisions stay valid)"),
  .usage = "--db DB [--note TEXT] NAME",
  .description = N_("Revokes NAME's registration. Decisions NAME recorded before stay verifiable and keep counting;\n"
                 "NAME can no longer sign, and any decision recorded after the revocation does not count.\n"),
  .opts = revoke_table,
  .opts_size = sizeof(revoke_opts),
  .min_pos = 1,
  .max_pos = 1,
  .run = run_revoke,
  .examples = (const sh_cli_example[]){
    {"reviewer revoke --db runs.db --note 'left the body' Sato", N_("Sato can no longer sign")},
    {"reviewer list --db runs.db", N_("shows Sato as revoked")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("revoked")}, {2, N_("usage or I/O error (not an active reviewer)")}, {0, NULL}},
};

const sh_cli_cmd sh_cmd_reviewer = {
  .name = "reviewer",
  .summary = N_("the reviewer roster: who may sign decisions, with which roles and keys"),
  .usage = "COMMAND [OPTIONS]",
  .description = N_("The store's reviewer roster. Only registered reviewers holding a role may record decisions and\n"
                 "waivers, and only their verified signatures count towards a quorum.\n"),
  .subs = (const sh_cli_cmd *const[]){&reviewer_add, &reviewer_list, &reviewer_revoke, NULL},
  .examples = (const sh_cli_example[]){
    {"reviewer add --db runs.db --role auditor --key sato.pub Sato", N_("registers a reviewer")},
    {"reviewer list --db runs.db", N_("lists the roster")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("success")}, {2, N_("usage or I/O error")}, {3, N_("invalid key")}, {0, NULL}},
};

/* ---------- waiver list / revoke ---------- */

typedef struct {
  const char *db, *tz;
  int64_t run;
} wlist_opts;

static const sh_cli_opt wlist_table[] = {
  {"run", 0, SH_CLI_INT, offsetof(wlist_opts, run), "RUN", "0", N_("only the waivers recorded on run RUN"), NULL, false},
  {"tz", 0, SH_CLI_STR, offsetof(wlist_opts, tz), "ZONE", NULL,
   N_("the certifying body's time zone (default: $SHINSA_TZ, Asia/Tokyo)"), NULL, false},
  SH_OPT_DB(wlist_opts, true),
  SH_CLI_OPT_END,
};

static void run_wlist(void *vo, const sh_cli_args *pos, sh_diags *d) {
  wlist_opts *o = vo;
  const char *tz = sh_tz_pick(o->tz, NULL);
  if (!sh_tz_valid(tz)) {
    sh_error_usage(d, "unknown time zone '%s'", tz);
    return;
  }
  sh_date today = sh_today_in_tz(tz);
  sh_store *s = sh_cmd_open_store_readonly(o->db, d);
  sh_vec ws = {0};
  if (s && s->ops->list_all_waivers(s, &ws, d) == 0) {
    size_t shown = 0;
    for (size_t i = 0; i < ws.n; i++) {
      const sh_waiver *w = ws.v[i];
      if (o->run > 0 && w->run_id != o->run) continue;
      sh_date exp;
      const char *state = w->revoked_at ? _("revoked")
                          : !sh_date_parse(w->expires, &exp) || exp < today ? _("expired")
                                                                            : _("active");
      char *when = sh_time_show(w->recorded_at, tz);
      printf(_("%lld\trun %lld\t%s:%s\t%s\tuntil %s\t%s\t%s%s\n"), (long long)w->id, (long long)w->run_id, w->framework_id,
             w->item_id, state, w->expires, w->approver, when, w->signature ? "" : _("\tunsigned"));
      free(when);
      shown++;
    }
    if (!shown) fputs(_("no waivers\n"), stdout);
  }
  sh_vec_free_all(&ws, sh_waiver_free);
  sh_store_close(s);
}

static const sh_cli_cmd waiver_list = {
  .name = "list",
  .summary = N_("list waivers with their state (active, expired, revoked)"),
  .usage = "--db DB [--run RUN] [--tz ZONE]",
  .description = N_("Lists every waiver: id, run, item, state today in the certifying body's time zone, expiry,\n"
                 "approver and when it was recorded.\n"),
  .opts = wlist_table,
  .opts_size = sizeof(wlist_opts),
  .run = run_wlist,
  .examples = (const sh_cli_example[]){
    {"waiver list --db runs.db", N_("every waiver")},
    {"waiver list --db runs.db --run 3", N_("the waivers recorded on run 3")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("success")}, {2, N_("usage or I/O error")}, {0, NULL}},
};

typedef struct {
  const char *db, *by, *reason;
} wrevoke_opts;

static const sh_cli_opt wrevoke_table[] = {
  {"by", 0, SH_CLI_STR, offsetof(wrevoke_opts, by), "NAME", NULL, N_("the registered reviewer who revokes it"), NULL, true},
  {"reason", 0, SH_CLI_STR, offsetof(wrevoke_opts, reason), "TEXT", "", N_("why"), NULL, false},
  SH_OPT_DB(wrevoke_opts, true),
  SH_CLI_OPT_END,
};

static void run_wrevoke(void *vo, const sh_cli_args *pos, sh_diags *d) {
  wrevoke_opts *o = vo;
  int64_t id;
  if (!sh_cmd_run_id(pos->v[0], &id, d)) return;
  sh_store *s = sh_cmd_open_existing_store(o->db, d);
  if (s && s->ops->revoke_waiver(s, id, o->by, o->reason, d) == 0)
    printf(_("shinsa: waiver %lld revoked by %s: the item counts again\n"), (long long)id, o->by);
  sh_store_close(s);
}

static const sh_cli_cmd waiver_revoke = {
  .name = "revoke",
  .summary = N_("revoke a waiver before its expiry"),
  .usage = "--db DB --by NAME [--reason TEXT] WAIVER_ID",
  .description = N_("Revokes waiver WAIVER_ID (see 'shinsa waiver list'): from now on the item counts again among the\n"
                 "must items not met. The revocation is logged in the audit log.\n"),
  .opts = wrevoke_table,
  .opts_size = sizeof(wrevoke_opts),
  .min_pos = 1,
  .max_pos = 1,
  .run = run_wrevoke,
  .examples = (const sh_cli_example[]){
    {"waiver revoke --db runs.db --by Sato --reason 'HSM delivered' 2", N_("ends waiver 2")},
    {"waiver list --db runs.db", N_("shows it as revoked")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("revoked")}, {2, N_("usage or I/O error (no such waiver, not a reviewer)")}, {0, NULL}},
};

const sh_cli_cmd sh_cmd_waiver = {
  .name = "waiver",
  .summary = N_("list or revoke waivers"),
  .usage = "COMMAND [OPTIONS]",
  .description = N_("The waivers recorded with 'shinsa waive'.\n"),
  .subs = (const sh_cli_cmd *const[]){&waiver_list, &waiver_revoke, NULL},
  .examples = (const sh_cli_example[]){
    {"waiver list --db runs.db", N_("lists waivers")},
    {"waiver revoke --db runs.db --by Sato 2", N_("revokes waiver 2")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("success")}, {2, N_("usage or I/O error")}, {0, NULL}},
};
