/* cmd/import_oscal: `shinsa import oscal CATALOG --id ID`: an OSCAL catalog as a framework file (oscal_catalog.h). */
#include "cmd.h"

#include "oscal_catalog.h"
#include "report.h"

typedef struct {
  const char *id, *out;
} import_oscal_opts;

static const sh_cli_opt opts[] = {
  {"id", 0, SH_CLI_STR, offsetof(import_oscal_opts, id), "ID", NULL,
   N_("id of the framework written (lower-case letters, digits, '.', '-')"), NULL, true},
  SH_OPT_OUT(import_oscal_opts),
  SH_CLI_OPT_END,
};

static bool valid_id(const char *s) {
  if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9'))) return false;
  for (const char *p = s; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-')) return false;
  return true;
}

static void run(void *vo, const sh_cli_args *pos, sh_diags *d) {
  import_oscal_opts *o = vo;
  if (!valid_id(o->id)) {
    sh_error_usage(d, "invalid framework id '%s' (lower-case letters, digits, '.', '-'; first a letter or digit)", o->id);
    return;
  }
  const char *path = pos->v[0];
  sh_buf out = {0};
  sh_oscal_import_stats st;
  if (sh_oscal_catalog_import(path, o->id, &out, &st, d) == 0 && sh_report_output(o->out, &out, d) == 0)
    sh_diag_add(d, SH_SEV_NOTE, path, 0, 0,
                "OSCAL %s %s catalog: %zu items from %zu controls and enhancements, %zu withdrawn left out; "
                "strength must %zu, should %zu, effort %zu (%zu from modal verbs); %zu sections",
                sh_oscal_format_name(st.format), st.oscal_version[0] ? st.oscal_version : "?", st.items, st.controls,
                st.withdrawn, st.strength[0], st.strength[1], st.strength[2], st.modal[0] + st.modal[1] + st.modal[2],
                st.sections);
  sh_buf_free(&out);
}

const sh_cli_cmd sh_cmd_import_oscal = {
  .name = "oscal",
  .summary = N_("an OSCAL catalog (XML, JSON or YAML) as a framework file"),
  .usage = "--id ID [--out FILE] CATALOG",
  .description =
    N_("Reads an OSCAL catalog (XML, JSON or YAML; OSCAL 1.0 to 1.2; the format from the extension or the first\n"
    "character) and writes a framework file (docs/formats.md §3): groups become sections, controls and\n"
    "enhancements manual items (id = the control id), the statement with its parameters inserted the text,\n"
    "withdrawn controls are left out and counted, BSI modal verbs (MUSS/SOLLTE/KANN) give the strength\n"
    "(must/should/effort; must without one). Put the file in checklists/ to use it. Rules: docs/oscal.md.\n"),
  .opts = opts,
  .opts_size = sizeof(import_oscal_opts),
  .min_pos = 1,
  .max_pos = 1,
  .pos_complete = "file",
  .run = run,
  .examples = (const sh_cli_example[]){
    {"import oscal NIST_SP-800-53_rev4_catalog.xml --id sp800-53-rev4 -o checklists/sp800-53-rev4.yaml",
     N_("the NIST SP 800-53 rev4 controls as a framework")},
    {"import oscal BSI-Stand-der-Technik-Kernel-catalog.json --id bsi-kernel", N_("the BSI Grundschutz++ kernel, to stdout")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("written")}, {2, N_("usage or I/O error")}, {3, N_("malformed catalog (FILE:LINE:COL)")},
                                 {0, NULL}},
};
