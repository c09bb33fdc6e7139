/* main: the shinsa command line: argument parsing, subcommand dispatch and exit codes.
 * Everything else lives in the core library (libshinsa). */
#include "carryover.h"
#include "cda.h"
#include "crosswalk_report.h"
#include "diag.h"
#include "json.h"
#include "probe.h"
#include "eval.h"
#include "framework.h"
#include "quotes.h"
#include "report.h"
#include "store.h"
#include "auditlog.h"
#include "diff.h"
#include "report_views.h"
#include "review.h"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------- option parsing ---------- */

/* A tiny option parser: long options with a value (`--name VALUE` or `--name=VALUE`) or flags.
 * Positional arguments are collected in order. */
typedef struct {
  const char *name;
  bool takes_value;
  bool repeat;
} opt_spec;

typedef struct {
  const char *name;
  const char *value;
} opt_val;

typedef struct {
  opt_val opts[64];
  size_t nopts;
  const char *pos[256];
  size_t npos;
  bool help;
} parsed_args;

static int usage_error(const char *cmd, const char *fmt, ...) SH_PRINTF(2, 3);
static int usage_error(const char *cmd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "shinsa: error: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\nTry 'shinsa %s --help'.\n", cmd);
  va_end(ap);
  return SH_EXIT_USAGE;
}

static int parse_args(const char *cmd, int argc, char **argv, const opt_spec *specs, parsed_args *out) {
  memset(out, 0, sizeof *out);
  bool only_pos = false;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (only_pos || a[0] != '-' || strcmp(a, "-") == 0) {
      if (out->npos == 256) return usage_error(cmd, "too many arguments");
      out->pos[out->npos++] = a;
      continue;
    }
    if (strcmp(a, "--") == 0) {
      only_pos = true;
      continue;
    }
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      out->help = true;
      continue;
    }
    if (a[1] != '-') return usage_error(cmd, "unknown option '%s'", a);
    const char *name = a + 2;
    const char *eq = strchr(name, '=');
    size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
    const opt_spec *sp = NULL;
    for (const opt_spec *s = specs; s->name; s++)
      if (strlen(s->name) == nlen && strncmp(s->name, name, nlen) == 0) sp = s;
    if (!sp) return usage_error(cmd, "unknown option '--%.*s'", (int)nlen, name);
    const char *val = NULL;
    if (sp->takes_value) {
      if (eq) val = eq + 1;
      else if (i + 1 < argc) val = argv[++i];
      else return usage_error(cmd, "option '--%s' needs a value", sp->name);
    } else if (eq) {
      return usage_error(cmd, "option '--%s' takes no value", sp->name);
    }
    if (!sp->repeat)
      for (size_t k = 0; k < out->nopts; k++)
        if (strcmp(out->opts[k].name, sp->name) == 0) return usage_error(cmd, "option '--%s' given twice", sp->name);
    if (out->nopts == 64) return usage_error(cmd, "too many options");
    out->opts[out->nopts++] = (opt_val){sp->name, val ? val : "1"};
  }
  return 0;
}

static const char *opt_get(const parsed_args *p, const char *name) {
  for (size_t k = 0; k < p->nopts; k++)
    if (strcmp(p->opts[k].name, name) == 0) return p->opts[k].value;
  return NULL;
}

static const char *data_dir_of(const parsed_args *p) {
  const char *d = opt_get(p, "data-dir");
  return d ? d : sh_data_dir_default();
}

static int check_lang(const char *cmd, const char *lang) {
  if (lang && strcmp(lang, "ja") && strcmp(lang, "en"))
    return usage_error(cmd, "--lang must be ja or en, not '%s'", lang);
  return 0;
}

/* Prints diagnostics and maps them to an exit code: any error in d gives `code`. */
static void print_diags(const sh_diags *d) { sh_diags_print(d, stderr, true); }

/* ---------- check ---------- */

static const char check_help[] =
  "Usage: shinsa check [OPTIONS] EVIDENCE_DIR\n"
  "\n"
  "Evaluates the evidence package in EVIDENCE_DIR (a folder holding evidence.yaml) against\n"
  "frameworks and reports a verdict for every item.\n"
  "\n"
  "Options:\n"
  "  --framework ID   framework to check (repeatable); default: the package's `frameworks:` list\n"
  "  --format FMT     text (default), json, md, html, csv or xlsx\n"
  "  --view VIEW      auditor (default), applicant (gap list) or ethics (data ethics board)\n"
  "  --out FILE       write the report to FILE (atomically) instead of standard output\n"
  "  --lang ja|en     report language (default ja)\n"
  "  --db FILE        record the run in this SQLite database\n"
  "  --data-dir DIR   where rules/ and checklists/ are (default: $SHINSA_DATA_DIR or the installed data)\n"
  "  --probe-root DIR read system configuration under DIR (see 'shinsa probe'); probed facts replace\n"
  "                   declared ones\n"
  "\n"
  "Exit status: 0 every applicable must item satisfied, 1 findings, 2 usage or I/O error,\n"
  "3 invalid input data.\n";

static int cmd_check(int argc, char **argv) {
  static const opt_spec specs[] = {{"framework", true, true}, {"format", true, false}, {"out", true, false},
                                   {"lang", true, false},     {"db", true, false},     {"data-dir", true, false},
                                   {"probe-root", true, false}, {"view", true, false}, {NULL, false, false}};
  parsed_args a;
  int rc = parse_args("check", argc, argv, specs, &a);
  if (rc) return rc;
  if (a.help) return fputs(check_help, stdout), SH_EXIT_OK;
  if (a.npos != 1) return usage_error("check", "give exactly one evidence folder");
  const char *format = opt_get(&a, "format") ? opt_get(&a, "format") : "text";
  const char *lang = opt_get(&a, "lang") ? opt_get(&a, "lang") : "ja";
  if ((rc = check_lang("check", lang))) return rc;
  const sh_report_writer *w = sh_report_find(format);
  if (!w) return usage_error("check", "unknown format '%s' (expected one of: %s)", format, sh_report_formats());
  const char *view = opt_get(&a, "view") ? opt_get(&a, "view") : "auditor";
  if (!sh_report_view_find(view)) return usage_error("check", "unknown view '%s' (expected one of: %s)", view, sh_report_views());

  sh_diags d = {0};
  int exit_code = SH_EXIT_OK;
  sh_registry *reg = NULL;
  sh_evidence *ev = NULL;
  sh_evaluation *e = NULL;
  sh_store *store = NULL;
  sh_vec fws = {0};
  sh_buf out = {0};
  sh_xw_curated *curated = NULL; /* carry-over from certifications held (crosswalk) */
  sh_carryover *carry = NULL;

  reg = sh_registry_load(data_dir_of(&a), &d);
  if (!reg) {
    exit_code = SH_EXIT_INVALID;
    goto done;
  }
  ev = sh_evidence_load(reg->vocab, a.pos[0], &d);
  if (!ev) {
    bool io = d.n && d.v[d.n - 1].line == 0;
    exit_code = io ? SH_EXIT_USAGE : SH_EXIT_INVALID;
    goto done;
  }
  /* Probed facts: the package's probes: folders, --probe-root, cda_exports samples (probe.h). */
  if (sh_probe_evidence(ev, opt_get(&a, "probe-root"), &d) != 0) {
    exit_code = SH_EXIT_INVALID;
    goto done;
  }
  /* Frameworks: from the command line, else from the package. */
  for (size_t k = 0; k < a.nopts; k++) {
    if (strcmp(a.opts[k].name, "framework")) continue;
    const sh_framework *fw = sh_registry_find(reg, a.opts[k].value);
    if (!fw) {
      sh_error(&d, NULL, 0, 0, "unknown framework '%s' (see 'shinsa frameworks')", a.opts[k].value);
      exit_code = SH_EXIT_USAGE;
      goto done;
    }
    sh_vec_push(&fws, (void *)fw);
  }
  if (fws.n == 0) {
    for (size_t k = 0; k < ev->frameworks.n; k++) {
      const sh_framework *fw = sh_registry_find(reg, ev->frameworks.v[k]);
      if (!fw) {
        sh_error(&d, ev->file, 0, 0, "unknown framework '%s' in frameworks: (see 'shinsa frameworks')",
                 (const char *)ev->frameworks.v[k]);
        exit_code = SH_EXIT_INVALID;
        goto done;
      }
      sh_vec_push(&fws, (void *)fw);
    }
  }
  if (fws.n == 0) {
    sh_error(&d, NULL, 0, 0, "no framework to check: give --framework ID or list frameworks: in evidence.yaml");
    exit_code = SH_EXIT_USAGE;
    goto done;
  }
  char *xwdir = sh_crosswalk_dir(reg->data_dir);
  curated = sh_xw_curated_load_dir(xwdir, &d);
  free(xwdir);
  carry = sh_carryover_new(reg, curated);
  sh_eval_options opts = {.cover = sh_carryover_cover, .cover_ctx = carry};
  e = sh_evaluate(ev, (const sh_framework *const *)fws.v, fws.n, &opts);
  sh_carryover_findings(carry, e);
  exit_code = (e->must_failing || e->findings.n) ? SH_EXIT_FINDINGS : SH_EXIT_OK;

  int64_t run_id = 0;
  const char *dbpath = opt_get(&a, "db");
  if (dbpath) {
    store = sh_store_open(dbpath, &d);
    sh_run_meta meta = {SHINSA_VERSION, reg->vocab, exit_code, NULL};
    if (!store || store->ops->record_run(store, e, &meta, &run_id, &d) != 0) {
      exit_code = SH_EXIT_USAGE;
      goto done;
    }
  }
  sh_report_ctx ctx = {.eval = e, .lang = lang, .view = view, .data_dir = reg->data_dir, .run_id = run_id,
                       .tool_version = SHINSA_VERSION};
  if (sh_report_render(&ctx, format, &out, &d) != 0 || sh_report_output(opt_get(&a, "out"), &out, &d) != 0) {
    exit_code = SH_EXIT_USAGE;
    goto done;
  }
done:
  print_diags(&d);
  sh_buf_free(&out);
  sh_store_close(store);
  sh_evaluation_free(e);
  sh_carryover_free(carry);
  sh_xw_curated_free(curated);
  sh_vec_free(&fws);
  sh_evidence_free(ev);
  sh_registry_free(reg);
  sh_diags_free(&d);
  return exit_code;
}

/* ---------- probe ---------- */

static const char probe_help[] =
  "Usage: shinsa probe --root DIR [--format text|json] [--data-dir DIR]\n"
  "\n"
  "Reads system configuration files under DIR (an exported copy, or / on the audited host) and prints\n"
  "the facts found, each with FILE:LINE: sshd_config, nginx, Apache, PostgreSQL (postgresql.conf,\n"
  "pg_hba.conf), /etc/crypttab, journald and logrotate. Includes are followed inside DIR only.\n"
  "\n"
  "Exit status: 0 success, 2 usage or I/O error, 3 invalid input (include refused, unreadable file).\n";

static int cmd_probe(int argc, char **argv) {
  static const opt_spec specs[] = {{"root", true, false}, {"format", true, false}, {"data-dir", true, false},
                                   {NULL, false, false}};
  parsed_args a;
  int rc = parse_args("probe", argc, argv, specs, &a);
  if (rc) return rc;
  if (a.help) return fputs(probe_help, stdout), SH_EXIT_OK;
  if (!opt_get(&a, "root") || a.npos) return usage_error("probe", "give --root DIR and nothing else");
  const char *format = opt_get(&a, "format") ? opt_get(&a, "format") : "text";
  if (strcmp(format, "text") && strcmp(format, "json")) return usage_error("probe", "--format must be text or json");
  sh_diags d = {0};
  int exit_code = SH_EXIT_OK;
  sh_registry *reg = sh_registry_load(data_dir_of(&a), &d);
  sh_probe_result *r = reg ? sh_probe_run(opt_get(&a, "root"), &d) : NULL;
  if (!reg) {
    exit_code = SH_EXIT_INVALID;
  } else if (!r) {
    exit_code = SH_EXIT_USAGE;
  } else {
    bool fits = sh_probe_check_vocab(r, reg->vocab, &d);
    if (strcmp(format, "json") == 0) {
      sh_buf out = {0};
      sh_probe_json(r, &out);
      fputs(sh_buf_str(&out), stdout);
      sh_buf_free(&out);
    } else {
      sh_probe_print(r, stdout);
    }
    if (!fits || d.nerrors) exit_code = SH_EXIT_INVALID;
  }
  print_diags(&d);
  sh_probe_result_free(r);
  sh_registry_free(reg);
  sh_diags_free(&d);
  return exit_code;
}

/* ---------- cda ---------- */

static const char cda_help[] =
  "Usage: shinsa cda FILE... --schema XSD [--items CSV]\n"
  "\n"
  "Validates HL7 CDA checkup documents against the XML schema XSD (e.g. the MHLW hc08 set), reporting\n"
  "each error with FILE:LINE, and lists the checkup item codes (17-digit, OID 1.2.392.200119.6.1005).\n"
  "With --items (the MHLW item-code table, XMLhc24tab.csv layout) each code is classified: level2\n"
  "(specific-checkup item, provided via Mynaportal), outside-mynaportal, or unknown-code (flagged).\n"
  "Documents are parsed without network access and with no DTD: a DOCTYPE is refused.\n"
  "\n"
  "Exit status: 0 all valid and no flagged item, 1 schema errors or flagged items, 2 usage or I/O\n"
  "error, 3 malformed or refused XML.\n";

static int cmd_cda(int argc, char **argv) {
  static const opt_spec specs[] = {{"schema", true, false}, {"items", true, false}, {NULL, false, false}};
  parsed_args a;
  int rc = parse_args("cda", argc, argv, specs, &a);
  if (rc) return rc;
  if (a.help) return fputs(cda_help, stdout), SH_EXIT_OK;
  if (!opt_get(&a, "schema")) return usage_error("cda", "give --schema XSD");
  if (a.npos == 0) return usage_error("cda", "give at least one CDA file");
  sh_diags d = {0};
  int exit_code = sh_cda_run(a.pos, a.npos, opt_get(&a, "schema"), opt_get(&a, "items"), stdout, &d);
  print_diags(&d);
  sh_diags_free(&d);
  return exit_code;
}

/* ---------- lint ---------- */

static const char lint_help[] =
  "Usage: shinsa lint [OPTIONS] [FILE...]\n"
  "\n"
  "Validates framework files, vocabulary files and evidence packages (evidence.yaml or its folder),\n"
  "printing every error, not just the first. Without FILE, lints the whole data directory.\n"
  "\n"
  "Options:\n"
  "  --sources DIR    also check every verbatim quote against the source documents in DIR\n"
  "  --data-dir DIR   where rules/facts.yaml is (the vocabulary frameworks are checked against)\n"
  "\n"
  "Exit status: 0 no error, 2 usage or I/O error, 3 invalid data.\n";

typedef enum { FILE_FRAMEWORK, FILE_VOCAB, FILE_EVIDENCE, FILE_UNKNOWN } file_kind;

static file_kind classify_file(const char *path, sh_diags *d) {
  sh_ydoc *doc = sh_ydoc_load_file(path, d);
  if (!doc) return FILE_UNKNOWN;
  file_kind k = FILE_UNKNOWN;
  if (sh_ymap_get(doc->root, "framework")) k = FILE_FRAMEWORK;
  else if (sh_ymap_get(doc->root, "facts") && !sh_ymap_get(doc->root, "applicant")) k = FILE_VOCAB;
  else if (sh_ymap_get(doc->root, "applicant")) k = FILE_EVIDENCE;
  if (k == FILE_UNKNOWN)
    sh_error(d, path, doc->root ? doc->root->line : 1, doc->root ? doc->root->col : 1,
             "not a shinsa file: expected a framework (framework:), a vocabulary (facts:) or evidence (applicant:)");
  sh_ydoc_free(doc);
  return k;
}

static int cmd_lint(int argc, char **argv) {
  static const opt_spec specs[] = {{"sources", true, false}, {"data-dir", true, false}, {NULL, false, false}};
  parsed_args a;
  int rc = parse_args("lint", argc, argv, specs, &a);
  if (rc) return rc;
  if (a.help) return fputs(lint_help, stdout), SH_EXIT_OK;
  sh_diags d = {0};
  const char *data_dir = data_dir_of(&a);
  const char *sources = opt_get(&a, "sources");
  size_t nfiles = 0, nquotes = 0;
  bool io_error = false;
  sh_vocab *vocab = NULL;
  sh_registry *reg = NULL;
  if (a.npos == 0) {
    reg = sh_registry_load(data_dir, &d);
    if (reg) {
      nfiles = reg->frameworks.n + reg->vocab->files.n;
      char *xwdir = sh_crosswalk_dir(data_dir); /* curated relations, checked against derived ones */
      sh_xw_curated *cur = sh_xw_curated_load_dir(xwdir, &d);
      nfiles += cur->files.n;
      sh_crosswalk_lint(reg, cur, &d);
      sh_xw_curated_free(cur);
      free(xwdir);
      if (sources)
        for (size_t i = 0; i < reg->frameworks.n; i++) {
          int n = sh_quotes_check(reg->frameworks.v[i], sources, &d);
          if (n > 0) nquotes += (size_t)n;
        }
    }
  } else {
    char *facts = sh_path_join(data_dir, "rules/facts.yaml");
    sh_vec vfiles = {0};
    sh_vec_push(&vfiles, facts);
    char *factsd = sh_path_join(data_dir, "rules/facts.d");
    sh_list_yaml_files(factsd, &vfiles);
    free(factsd);
    sh_diags vd = {0};
    vocab = sh_vocab_load((const char *const *)vfiles.v, vfiles.n, &vd);
    sh_vec_free_all(&vfiles, free);
    for (size_t i = 0; i < a.npos; i++) {
      const char *path = a.pos[i];
      char *evdir = NULL;
      size_t pl = strlen(path);
      char *probe = sh_path_join(path, "evidence.yaml");
      FILE *pf = fopen(probe, "rb");
      free(probe);
      if (pf) {
        fclose(pf);
        evdir = sh_strdup(path);
      } else if (pl >= 13 && strcmp(path + pl - 13, "evidence.yaml") == 0) {
        evdir = sh_path_dirname(path);
      }
      nfiles++;
      file_kind k = evdir ? FILE_EVIDENCE : classify_file(path, &d);
      if (k == FILE_UNKNOWN) {
        if (d.n && d.v[d.n - 1].line == 0) io_error = true;
        free(evdir);
        continue;
      }
      if (k == FILE_VOCAB) {
        const char *one[] = {path};
        sh_vocab *v = sh_vocab_load(one, 1, &d);
        sh_vocab_free(v);
        continue;
      }
      if (!vocab) {
        if (vd.n) sh_diags_move(&d, &vd);
        else sh_error(&d, path, 0, 0, "cannot check it: the vocabulary could not be loaded");
        free(evdir);
        continue;
      }
      if (k == FILE_FRAMEWORK) {
        sh_framework *fw = sh_framework_load(vocab, path, &d);
        if (fw && sources) {
          int n = sh_quotes_check(fw, sources, &d);
          if (n > 0) nquotes += (size_t)n;
        }
        sh_framework_free(fw);
      } else {
        if (!evdir) evdir = sh_path_dirname(path);
        sh_evidence *ev = sh_evidence_load(vocab, evdir, &d);
        sh_evidence_free(ev);
      }
      free(evdir);
    }
    sh_diags_free(&vd);
  }
  print_diags(&d);
  int exit_code = d.nerrors ? (io_error ? SH_EXIT_USAGE : SH_EXIT_INVALID) : SH_EXIT_OK;
  if (!d.nerrors) {
    printf("shinsa: %zu file%s OK", nfiles, nfiles == 1 ? "" : "s");
    if (sources) printf(", %zu verbatim quote%s verified against %s", nquotes, nquotes == 1 ? "" : "s", sources);
    printf("\n");
  } else {
    fprintf(stderr, "shinsa: %zu error%s\n", d.nerrors, d.nerrors == 1 ? "" : "s");
  }
  sh_registry_free(reg);
  sh_vocab_free(vocab);
  sh_diags_free(&d);
  return exit_code;
}

/* ---------- frameworks ---------- */

static const char frameworks_help[] =
  "Usage: shinsa frameworks [--data-dir DIR] [--lang ja|en]\n"
  "\n"
  "Lists the installed frameworks and rule sets with their item counts: all items, items with a\n"
  "machine-checkable requirement, manual items, and items whose text is a verbatim quote.\n";

static int cmd_frameworks(int argc, char **argv) {
  static const opt_spec specs[] = {{"data-dir", true, false}, {"lang", true, false}, {NULL, false, false}};
  parsed_args a;
  int rc = parse_args("frameworks", argc, argv, specs, &a);
  if (rc) return rc;
  if (a.help) return fputs(frameworks_help, stdout), SH_EXIT_OK;
  if (a.npos) return usage_error("frameworks", "unexpected argument '%s'", a.pos[0]);
  const char *lang = opt_get(&a, "lang") ? opt_get(&a, "lang") : "ja";
  if ((rc = check_lang("frameworks", lang))) return rc;
  sh_diags d = {0};
  sh_registry *reg = sh_registry_load(data_dir_of(&a), &d);
  print_diags(&d);
  if (!reg) {
    sh_diags_free(&d);
    return SH_EXIT_INVALID;
  }
  printf("%-20s %-9s %-13s %5s %8s %6s %8s  %s\n", "ID", "KIND", "VERSION", "ITEMS", "CHECKED", "MANUAL", "VERBATIM",
         "TITLE");
  for (size_t i = 0; i < reg->frameworks.n; i++) {
    const sh_framework *fw = reg->frameworks.v[i];
    size_t req = 0, man = 0, verb = 0;
    for (size_t k = 0; k < fw->items.n; k++) {
      const sh_item *it = fw->items.v[k];
      req += it->require != NULL;
      man += it->manual;
      verb += it->source.form == SH_FORM_VERBATIM;
    }
    sh_text t = fw->title;
    printf("%-20s %-9s %-13s %5zu %8zu %6zu %8zu  %s\n", fw->id, fw->kind, fw->version, fw->items.n, req, man, verb,
           sh_text_pick(&t, lang));
  }
  printf("vocabulary %s@%s: %zu facts, %zu implications (data: %s)\n", reg->vocab->id, reg->vocab->version,
         reg->vocab->facts.n, reg->vocab->implications.n, reg->data_dir);
  sh_registry_free(reg);
  sh_diags_free(&d);
  return SH_EXIT_OK;
}

/* ---------- history ---------- */

static const char history_help[] =
  "Usage: shinsa history --db FILE [--format text|json]\n"
  "\n"
  "Lists the runs recorded in the database: time, applicant, frameworks and versions, counts.\n";

static int cmd_history(int argc, char **argv) {
  static const opt_spec specs[] = {{"db", true, false}, {"format", true, false}, {NULL, false, false}};
  parsed_args a;
  int rc = parse_args("history", argc, argv, specs, &a);
  if (rc) return rc;
  if (a.help) return fputs(history_help, stdout), SH_EXIT_OK;
  const char *db = opt_get(&a, "db");
  if (!db) return usage_error("history", "--db FILE is required");
  const char *format = opt_get(&a, "format") ? opt_get(&a, "format") : "text";
  if (strcmp(format, "text") && strcmp(format, "json")) return usage_error("history", "--format must be text or json");
  sh_diags d = {0};
  FILE *probe = fopen(db, "rb");
  if (!probe) {
    sh_error(&d, db, 0, 0, "no such database: %s", strerror(errno));
    print_diags(&d);
    sh_diags_free(&d);
    return SH_EXIT_USAGE;
  }
  fclose(probe);
  sh_store *s = sh_store_open(db, &d);
  sh_vec runs = {0};
  int exit_code = SH_EXIT_OK;
  if (!s || s->ops->list_runs(s, &runs, &d) != 0) exit_code = SH_EXIT_USAGE;
  else if (strcmp(format, "json") == 0) {
    printf("[");
    for (size_t i = 0; i < runs.n; i++) {
      const sh_run_summary *r = runs.v[i];
      sh_buf b = {0};
      sh_buf_printf(&b, "%s\n  {\"id\": %lld, \"recorded_at\": ", i ? "," : "", (long long)r->id);
      sh_json_escape(&b, r->recorded_at);
      sh_buf_puts(&b, ", \"applicant\": ");
      sh_json_escape(&b, r->applicant);
      sh_buf_puts(&b, ", \"assessment_date\": ");
      sh_json_escape(&b, r->assessment_date);
      sh_buf_puts(&b, ", \"frameworks\": ");
      sh_json_escape(&b, r->frameworks);
      sh_buf_printf(&b, ", \"exit_code\": %d, \"counts\": {", r->exit_code);
      for (int v = 0; v < SH_V__COUNT; v++)
        sh_buf_printf(&b, "%s\"%s\": %zu", v ? ", " : "", sh_verdict_name((sh_verdict)v), r->counts[v]);
      sh_buf_puts(&b, "}}");
      fputs(sh_buf_str(&b), stdout);
      sh_buf_free(&b);
    }
    printf("%s]\n", runs.n ? "\n" : "");
  } else {
    printf("%-5s %-20s %-10s %-28s %4s %4s %4s %4s %4s %4s  %s\n", "RUN", "RECORDED", "ASSESSED", "FRAMEWORKS", "OK",
           "NG", "REV", "UNK", "N/A", "COV", "APPLICANT");
    for (size_t i = 0; i < runs.n; i++) {
      const sh_run_summary *r = runs.v[i];
      printf("%-5lld %-20s %-10s %-28s %4zu %4zu %4zu %4zu %4zu %4zu  %s\n", (long long)r->id, r->recorded_at,
             r->assessment_date, r->frameworks, r->counts[SH_V_SATISFIED], r->counts[SH_V_NOT_SATISFIED],
             r->counts[SH_V_NEEDS_REVIEW], r->counts[SH_V_UNKNOWN], r->counts[SH_V_NOT_APPLICABLE],
             r->counts[SH_V_COVERED], r->applicant);
    }
  }
  print_diags(&d);
  sh_vec_free_all(&runs, sh_run_summary_free);
  sh_store_close(s);
  sh_diags_free(&d);
  return exit_code;
}

/* ---------- crosswalk ---------- */

static const char crosswalk_help[] =
  "Usage: shinsa crosswalk --from S --to T [OPTIONS]\n"
  "\n"
  "Classifies every item of framework T against framework S, derived from what each item requires:\n"
  "A (S is stricter), B (equivalent), C (T is stricter: the unmet conditions are listed), D (no S item\n"
  "speaks of its facts), unknown (undecided). Each item lists its witnesses (the S items that imply it).\n"
  "Manual items take their class from the curated relations in rules/crosswalks/*.yaml.\n"
  "\n"
  "Options:\n"
  "  --from S         source framework id (the certification held)\n"
  "  --to T           target framework id\n"
  "  --format FMT     text (default), json, md, html or csv\n"
  "  --out FILE       write to FILE (atomically) instead of standard output\n"
  "  --lang ja|en     language (default ja)\n"
  "  --data-dir DIR   where rules/ and checklists/ are\n"
  "\n"
  "Exit status: 0 success, 2 usage or I/O error, 3 invalid data.\n";

static int cmd_crosswalk(int argc, char **argv) {
  static const opt_spec specs[] = {{"from", true, false}, {"to", true, false},   {"format", true, false},
                                   {"out", true, false},  {"lang", true, false}, {"data-dir", true, false},
                                   {NULL, false, false}};
  parsed_args a;
  int rc = parse_args("crosswalk", argc, argv, specs, &a);
  if (rc) return rc;
  if (a.help) return fputs(crosswalk_help, stdout), SH_EXIT_OK;
  if (a.npos) return usage_error("crosswalk", "unexpected argument '%s'", a.pos[0]);
  const char *from = opt_get(&a, "from"), *to = opt_get(&a, "to");
  if (!from || !to) return usage_error("crosswalk", "give both --from S and --to T");
  const char *lang = opt_get(&a, "lang") ? opt_get(&a, "lang") : "ja";
  if ((rc = check_lang("crosswalk", lang))) return rc;
  sh_xw_format fmt = SH_XWF_TEXT;
  if (opt_get(&a, "format") && !sh_xw_format_parse(opt_get(&a, "format"), &fmt))
    return usage_error("crosswalk", "unknown format '%s' (text, json, md, html, csv)", opt_get(&a, "format"));
  sh_diags d = {0};
  int exit_code = SH_EXIT_OK;
  sh_registry *reg = sh_registry_load(data_dir_of(&a), &d);
  sh_xw_curated *cur = NULL;
  if (!reg) {
    exit_code = SH_EXIT_INVALID;
  } else {
    const sh_framework *S = sh_registry_find(reg, from), *T = sh_registry_find(reg, to);
    if (!S || !T) {
      sh_error(&d, NULL, 0, 0, "unknown framework '%s' (see 'shinsa frameworks')", S ? to : from);
      exit_code = SH_EXIT_USAGE;
    } else {
      char *dir = sh_crosswalk_dir(reg->data_dir);
      cur = sh_xw_curated_load_dir(dir, &d);
      free(dir);
      if (d.nerrors) exit_code = SH_EXIT_INVALID;
      sh_logic_ctx *lc = sh_logic_new(reg->vocab, NULL);
      sh_crosswalk *xw = sh_crosswalk_compute(lc, S, T, sh_xw_curated_find(cur, from, to));
      char *doc = sh_crosswalk_render(xw, fmt, lang);
      sh_buf out = {0};
      sh_buf_puts(&out, doc);
      if (exit_code == SH_EXIT_OK && sh_report_output(opt_get(&a, "out"), &out, &d) != 0) exit_code = SH_EXIT_USAGE;
      sh_buf_free(&out);
      free(doc);
      sh_crosswalk_free(xw);
      sh_logic_free(lc);
    }
  }
  print_diags(&d);
  sh_xw_curated_free(cur);
  sh_registry_free(reg);
  sh_diags_free(&d);
  return exit_code;
}

/* ---------- report, review, waive, diff, log (review workflow: review.h, report_views.h) ---------- */

/* A run id argument: a positive integer. */
static bool parse_run_id(const char *s, int64_t *out) {
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || end == s || *end || v <= 0) return false;
  *out = v;
  return true;
}

/* Opens an existing store (a missing file is an error, not a new database). */
static sh_store *open_existing_store(const char *db, sh_diags *d) {
  FILE *probe = fopen(db, "rb");
  if (!probe) {
    sh_error(d, db, 0, 0, "no such database: %s", strerror(errno));
    return NULL;
  }
  fclose(probe);
  return sh_store_open(db, d);
}

static const char report_help[] =
  "Usage: shinsa report RUN --db FILE [OPTIONS]\n"
  "\n"
  "Re-renders recorded run RUN from the database snapshot (the vocabulary and framework texts,\n"
  "facts, documents, verdicts and reasons stored with the run: the evidence folder is not read),\n"
  "with the reviewer decisions and waivers recorded since applied.\n"
  "\n"
  "Options:\n"
  "  --view VIEW      auditor (default), applicant (gap list) or ethics (data ethics board)\n"
  "  --format FMT     text (default), json, md, html, csv or xlsx\n"
  "  --out FILE       write the report to FILE (atomically) instead of standard output\n"
  "  --lang ja|en     report language (default ja)\n"
  "  --as-of DATE     judge waiver expiry on DATE (YYYY-MM-DD; default today)\n"
  "  --data-dir DIR   where rules/quorum.yaml and reports/report.css are\n"
  "\n"
  "Exit status: 0 every applicable must item satisfied (or waived), 1 findings, 2 usage or I/O\n"
  "error, 3 invalid data.\n";

static int cmd_report(int argc, char **argv) {
  static const opt_spec specs[] = {{"db", true, false},   {"view", true, false},  {"format", true, false},
                                   {"out", true, false},  {"lang", true, false},  {"as-of", true, false},
                                   {"data-dir", true, false}, {NULL, false, false}};
  parsed_args a;
  int rc = parse_args("report", argc, argv, specs, &a);
  if (rc) return rc;
  if (a.help) return fputs(report_help, stdout), SH_EXIT_OK;
  int64_t run_id;
  if (a.npos != 1 || !parse_run_id(a.pos[0], &run_id)) return usage_error("report", "give one run number (see 'shinsa history')");
  const char *db = opt_get(&a, "db");
  if (!db) return usage_error("report", "--db FILE is required");
  const char *format = opt_get(&a, "format") ? opt_get(&a, "format") : "text";
  const char *lang = opt_get(&a, "lang") ? opt_get(&a, "lang") : "ja";
  const char *view = opt_get(&a, "view") ? opt_get(&a, "view") : "auditor";
  if ((rc = check_lang("report", lang))) return rc;
  if (!sh_report_find(format)) return usage_error("report", "unknown format '%s' (expected one of: %s)", format, sh_report_formats());
  if (!sh_report_view_find(view)) return usage_error("report", "unknown view '%s' (expected one of: %s)", view, sh_report_views());
  sh_date as_of = sh_date_today();
  if (opt_get(&a, "as-of") && !sh_date_parse(opt_get(&a, "as-of"), &as_of))
    return usage_error("report", "--as-of must be a date YYYY-MM-DD");
  sh_diags d = {0};
  int exit_code = SH_EXIT_USAGE;
  sh_buf out = {0};
  bool invalid = false;
  sh_reviewed_run *rr = NULL;
  sh_store *s = open_existing_store(db, &d);
  if (s) rr = sh_reviewed_run_load(s, run_id, data_dir_of(&a), as_of, &invalid, &d);
  if (invalid) exit_code = SH_EXIT_INVALID;
  if (rr) {
    const sh_evaluation *e = rr->snap->eval;
    sh_report_ctx ctx = {.eval = e, .lang = lang, .view = view, .data_dir = data_dir_of(&a), .run_id = run_id,
                         .tool_version = SHINSA_VERSION, .reviews = rr->state};
    if (sh_report_render(&ctx, format, &out, &d) == 0 && sh_report_output(opt_get(&a, "out"), &out, &d) == 0)
      exit_code = (e->must_failing || e->findings.n) ? SH_EXIT_FINDINGS : SH_EXIT_OK;
  }
  print_diags(&d);
  sh_buf_free(&out);
  sh_reviewed_run_free(rr);
  sh_store_close(s);
  sh_diags_free(&d);
  return exit_code;
}

static const char review_help[] =
  "Usage: shinsa review RUN FRAMEWORK:ITEM --decision DECISION --reviewer NAME --role ROLE\n"
  "                     [--note TEXT] --db FILE\n"
  "\n"
  "Records a reviewer's decision on an item of recorded run RUN: accept, reject or request-more.\n"
  "A needs_review item becomes satisfied once the quorum rules of its group (rules/quorum.yaml) are\n"
  "met by accepting reviewers; any reject makes it not_satisfied; request-more keeps needs_review.\n"
  "The decision is stored with its time, in one transaction, and appended to the audit log.\n";

static int cmd_review(int argc, char **argv) {
  static const opt_spec specs[] = {{"db", true, false},   {"decision", true, false}, {"reviewer", true, false},
                                   {"role", true, false}, {"note", true, false},     {NULL, false, false}};
  parsed_args a;
  int rc = parse_args("review", argc, argv, specs, &a);
  if (rc) return rc;
  if (a.help) return fputs(review_help, stdout), SH_EXIT_OK;
  sh_review r = {0};
  if (a.npos != 2 || !parse_run_id(a.pos[0], &r.run_id)) return usage_error("review", "give RUN and FRAMEWORK:ITEM");
  const char *db = opt_get(&a, "db"), *who = opt_get(&a, "reviewer"), *role = opt_get(&a, "role");
  if (!db) return usage_error("review", "--db FILE is required");
  if (!opt_get(&a, "decision") || !sh_decision_parse(opt_get(&a, "decision"), &r.decision))
    return usage_error("review", "--decision must be accept, reject or request-more");
  if (!who || !*who || !role || !*role) return usage_error("review", "--reviewer NAME and --role ROLE are required");
  if (!sh_item_ref_parse(a.pos[1], &r.framework_id, &r.item_id))
    return usage_error("review", "the item must be written FRAMEWORK:ITEM, not '%s'", a.pos[1]);
  r.reviewer = (char *)who;
  r.role = (char *)role;
  r.note = (char *)(opt_get(&a, "note") ? opt_get(&a, "note") : "");
  sh_diags d = {0};
  int64_t id = 0;
  sh_store *s = open_existing_store(db, &d);
  int exit_code = SH_EXIT_USAGE;
  if (s && s->ops->record_review(s, &r, &id, &d) == 0) {
    printf("shinsa: review %lld recorded: %s %s:%s by %s (%s)\n", (long long)id, sh_decision_name(r.decision),
           r.framework_id, r.item_id, who, role);
    exit_code = SH_EXIT_OK;
  }
  print_diags(&d);
  free(r.framework_id);
  free(r.item_id);
  sh_store_close(s);
  sh_diags_free(&d);
  return exit_code;
}

static const char waive_help[] =
  "Usage: shinsa waive RUN FRAMEWORK:ITEM --approver NAME --justification TEXT --scope TEXT\n"
  "                    --expires YYYY-MM-DD --db FILE\n"
  "\n"
  "Records a waiver: an approved exception for one item of run RUN until its expiry date (inclusive).\n"
  "While it applies the item keeps its verdict, is shown as waived and no longer counts among the\n"
  "must items not met; after the expiry date the report says the waiver expired and no longer applies.\n";

static int cmd_waive(int argc, char **argv) {
  static const opt_spec specs[] = {{"db", true, false},    {"approver", true, false}, {"justification", true, false},
                                   {"scope", true, false}, {"expires", true, false},  {NULL, false, false}};
  parsed_args a;
  int rc = parse_args("waive", argc, argv, specs, &a);
  if (rc) return rc;
  if (a.help) return fputs(waive_help, stdout), SH_EXIT_OK;
  sh_waiver w = {0};
  if (a.npos != 2 || !parse_run_id(a.pos[0], &w.run_id)) return usage_error("waive", "give RUN and FRAMEWORK:ITEM");
  const char *db = opt_get(&a, "db");
  if (!db) return usage_error("waive", "--db FILE is required");
  const char *req[] = {"approver", "justification", "scope", "expires"};
  for (size_t k = 0; k < 4; k++)
    if (!opt_get(&a, req[k]) || !*opt_get(&a, req[k])) return usage_error("waive", "--%s is required", req[k]);
  sh_date exp;
  if (!sh_date_parse(opt_get(&a, "expires"), &exp)) return usage_error("waive", "--expires must be a date YYYY-MM-DD");
  if (!sh_item_ref_parse(a.pos[1], &w.framework_id, &w.item_id))
    return usage_error("waive", "the item must be written FRAMEWORK:ITEM, not '%s'", a.pos[1]);
  w.approver = (char *)opt_get(&a, "approver");
  w.justification = (char *)opt_get(&a, "justification");
  w.scope = (char *)opt_get(&a, "scope");
  w.expires = (char *)opt_get(&a, "expires");
  sh_diags d = {0};
  int64_t id = 0;
  sh_store *s = open_existing_store(db, &d);
  int exit_code = SH_EXIT_USAGE;
  if (s && s->ops->record_waiver(s, &w, &id, &d) == 0) {
    printf("shinsa: waiver %lld recorded: %s:%s until %s, approved by %s\n", (long long)id, w.framework_id, w.item_id,
           w.expires, w.approver);
    exit_code = SH_EXIT_OK;
  }
  print_diags(&d);
  free(w.framework_id);
  free(w.item_id);
  sh_store_close(s);
  sh_diags_free(&d);
  return exit_code;
}

static const char diff_help[] =
  "Usage: shinsa diff RUN_A RUN_B --db FILE [--format text|json] [--lang ja|en]\n"
  "\n"
  "Lists what changed from run RUN_A to run RUN_B: framework versions and texts, documents and their\n"
  "hashes and status, fact values and provenance, and item verdicts as recorded.\n"
  "\n"
  "Exit status: 0 no difference, 1 differences, 2 usage or I/O error.\n";

static int cmd_diff(int argc, char **argv) {
  static const opt_spec specs[] = {{"db", true, false}, {"format", true, false}, {"lang", true, false},
                                   {NULL, false, false}};
  parsed_args a;
  int rc = parse_args("diff", argc, argv, specs, &a);
  if (rc) return rc;
  if (a.help) return fputs(diff_help, stdout), SH_EXIT_OK;
  int64_t ra, rb;
  if (a.npos != 2 || !parse_run_id(a.pos[0], &ra) || !parse_run_id(a.pos[1], &rb))
    return usage_error("diff", "give two run numbers");
  const char *db = opt_get(&a, "db");
  if (!db) return usage_error("diff", "--db FILE is required");
  const char *format = opt_get(&a, "format") ? opt_get(&a, "format") : "text";
  if (strcmp(format, "text") && strcmp(format, "json")) return usage_error("diff", "--format must be text or json");
  const char *lang = opt_get(&a, "lang") ? opt_get(&a, "lang") : "ja";
  if ((rc = check_lang("diff", lang))) return rc;
  sh_diags d = {0};
  int exit_code = SH_EXIT_USAGE;
  sh_run_snapshot *x = NULL, *y = NULL;
  sh_store *s = open_existing_store(db, &d);
  if (s && (x = s->ops->load_run(s, ra, &d)) && (y = s->ops->load_run(s, rb, &d))) {
    sh_buf out = {0};
    size_t n = sh_run_diff(x, y, format, lang, &out);
    if (sh_report_output(NULL, &out, &d) == 0) exit_code = n ? SH_EXIT_FINDINGS : SH_EXIT_OK;
    sh_buf_free(&out);
  }
  print_diags(&d);
  sh_run_snapshot_free(x);
  sh_run_snapshot_free(y);
  sh_store_close(s);
  sh_diags_free(&d);
  return exit_code;
}

static const char log_help[] =
  "Usage: shinsa log verify --db FILE\n"
  "\n"
  "Verifies the audit log: every write to the store (runs, reviews, waivers) appended a row chained\n"
  "by SHA-256 over the previous row's hash and the canonical content of the rows written. Reports the\n"
  "first row that was altered or removed, and rows that bypassed the log. Prints the head hash: keep\n"
  "it outside the database to detect a rewritten chain.\n"
  "\n"
  "Exit status: 0 intact, 1 tampering found, 2 usage or I/O error.\n";

static int cmd_log(int argc, char **argv) {
  static const opt_spec specs[] = {{"db", true, false}, {NULL, false, false}};
  parsed_args a;
  int rc = parse_args("log", argc, argv, specs, &a);
  if (rc) return rc;
  if (a.help) return fputs(log_help, stdout), SH_EXIT_OK;
  if (a.npos != 1 || strcmp(a.pos[0], "verify")) return usage_error("log", "the only subcommand is 'verify'");
  const char *db = opt_get(&a, "db");
  if (!db) return usage_error("log", "--db FILE is required");
  sh_diags d = {0};
  sh_log_status st = {0};
  int exit_code = SH_EXIT_USAGE;
  sh_store *s = open_existing_store(db, &d);
  if (s) {
    int v = s->ops->verify_log(s, &st, &d);
    if (v == 0) {
      printf("shinsa: audit log intact: %zu row%s, head %s\n", st.rows, st.rows == 1 ? "" : "s",
             st.head[0] ? st.head : "(empty)");
      if (st.legacy_runs)
        printf("shinsa: note: %zu run%s recorded before the audit log existed %s not covered\n", st.legacy_runs,
               st.legacy_runs == 1 ? "" : "s", st.legacy_runs == 1 ? "is" : "are");
      exit_code = SH_EXIT_OK;
    } else if (v == 1) {
      if (st.first_bad_seq > 0) sh_error(&d, db, 0, 0, "audit log row %lld: %s", (long long)st.first_bad_seq, st.problem);
      else sh_error(&d, db, 0, 0, "%s", st.problem);
      exit_code = SH_EXIT_FINDINGS;
    }
  }
  print_diags(&d);
  sh_log_status_clear(&st);
  sh_store_close(s);
  sh_diags_free(&d);
  return exit_code;
}

/* ---------- dispatch ---------- */

typedef struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} command;

static const command commands[] = {
  {"check", cmd_check, "evaluate an evidence package against frameworks"},
  {"probe", cmd_probe, "read system configuration files and print the facts found"},
  {"cda", cmd_cda, "validate HL7 CDA checkup documents and classify their item codes"},
  {"lint", cmd_lint, "validate framework, vocabulary and evidence files"},
  {"frameworks", cmd_frameworks, "list the installed frameworks with item counts"},
  {"history", cmd_history, "list the runs recorded in a database"},
  {"crosswalk", cmd_crosswalk, "classify one framework's items against another's (A/B/C/D, witnesses)"},
  {"report", cmd_report, "re-render a recorded run (views: auditor, applicant, ethics)"},
  {"review", cmd_review, "record a reviewer's decision on an item of a recorded run"},
  {"waive", cmd_waive, "record a waiver (approver, justification, scope, expiry) on an item"},
  {"diff", cmd_diff, "what changed between two recorded runs"},
  {"log", cmd_log, "verify the tamper-evident audit log of a database"},
  /* more subcommands: keep one line each, in the order of `shinsa --help` */
};

static void main_help(FILE *out) {
  fprintf(out, "Usage: shinsa COMMAND [OPTIONS] [ARGS]\n\n"
               "shinsa (審査) checks an operator's evidence against Japanese personal-data trust\n"
               "frameworks (情報銀行, PHR, 次世代医療基盤法), item by item.\n\nCommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
  fprintf(out, "\nRun 'shinsa COMMAND --help' for a command's options.\n"
               "Environment: SHINSA_DATA_DIR overrides where rules/ and checklists/ are found.\n"
               "Exit status: 0 success (every applicable must item satisfied), 1 findings,\n"
               "2 usage or I/O error, 3 invalid input data.\n");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    main_help(stderr);
    return SH_EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    main_help(stdout);
    return SH_EXIT_OK;
  }
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
    printf("shinsa %s\n", SHINSA_VERSION);
    return SH_EXIT_OK;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(commands[i].name, cmd) == 0) return commands[i].run(argc - 2, argv + 2);
  fprintf(stderr, "shinsa: error: unknown command '%s'\n", cmd);
  main_help(stderr);
  return SH_EXIT_USAGE;
}
