/* cmd/probe: `shinsa probe`: read system configuration files and print the facts found. */
#include "cmd.h"

#include "framework.h"
#include "probe.h"

typedef struct {
  const char *root, *format, *data_dir;
} probe_opts;

static const sh_cli_opt opts[] = {
  {"root", 0, SH_CLI_STR, offsetof(probe_opts, root), "DIR", NULL,
   N_("the exported copy of the system's files (or / on the audited host)"), NULL, true},
  SH_OPT_FORMAT_TEXT_JSON(probe_opts),
  SH_OPT_DATA_DIR(probe_opts),
  SH_CLI_OPT_END,
};

static void run(void *vo, const sh_cli_args *pos, sh_diags *d) {
  probe_opts *o = vo;
  sh_registry *reg = sh_cmd_registry(o->data_dir, NULL, false, NULL, d); /* with the user data folders */
  sh_probe_result *r = reg ? sh_probe_run(o->root, d) : NULL;
  if (r) {
    sh_probe_check_vocab(r, reg->vocab, d);
    if (o->format[0] == 'j') {
      sh_buf out = {0};
      sh_probe_json(r, &out);
      sh_term_fputs(sh_buf_str(&out), stdout); /* cleaned on a terminal */
      sh_buf_free(&out);
    } else {
      sh_probe_print(r, stdout);
    }
  }
  sh_probe_result_free(r);
  sh_registry_free(reg);
}

const sh_cli_cmd sh_cmd_probe = {
  .name = "probe",
  .summary = N_("read system configuration files and print the facts found"),
  .usage = "--root DIR [OPTIONS]",
  .description = N_("Reads system configuration files under DIR (an exported copy, or / on the audited host) and prints\n"
                 "the facts found, each with FILE:LINE: sshd_config, nginx, Apache, PostgreSQL (postgresql.conf,\n"
                 "pg_hba.conf), /etc/crypttab, journald and logrotate. Includes are followed inside DIR only.\n"),
  .opts = opts,
  .opts_size = sizeof(probe_opts),
  .run = run,
  .examples = (const sh_cli_example[]){
    {"probe --root /", N_("reads the configuration of the host it runs on")},
    {"probe --root export/ --format json", N_("prints the facts found in an exported copy as JSON")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("success")},
                                 {2, N_("usage or I/O error")},
                                 {3, N_("invalid input (include refused, unreadable file, fact not in the vocabulary)")},
                                 {0, NULL}},
};
