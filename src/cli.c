/* cli: table-driven option parsing, help, man page and bash completion. See cli.h. The tables' texts are
 * catalog messages (N_ where they are defined) translated here, when the help or the man page is written. */
#include "cli.h"

#include "i18n.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---------- parsing ---------- */

static void *field(void *o, const sh_cli_opt *op) { return (char *)o + op->offset; }

static bool parse_int(const char *s, int64_t *out) {
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || end == s || *end) return false;
  *out = v;
  return true;
}

static void choices_list(sh_buf *b, const char *const *choices) {
  for (size_t i = 0; choices[i]; i++) sh_buf_printf(b, "%s%s", i ? ", " : "", choices[i]);
}

/* Stores value into the destination of op. Returns 0 or -1 after a usage error. */
static int store(const sh_cli_opt *op, void *o, const char *value, bool *seen, sh_diags *d) {
  if (op->type != SH_CLI_LIST && *seen) {
    sh_error_usage(d, "option '--%s' given twice", op->name);
    return -1;
  }
  *seen = true;
  if (op->choices && value) {
    bool ok = false;
    for (size_t i = 0; op->choices[i] && !ok; i++) ok = strcmp(op->choices[i], value) == 0;
    if (!ok) {
      sh_buf b = {0};
      choices_list(&b, op->choices);
      sh_error_usage(d, "unknown %s '%s' (expected one of: %s)", op->name, value, sh_buf_str(&b));
      sh_buf_free(&b);
      return -1;
    }
  }
  switch (op->type) {
  case SH_CLI_FLAG: *(bool *)field(o, op) = true; break;
  case SH_CLI_STR: *(const char **)field(o, op) = value; break;
  case SH_CLI_LIST: sh_vec_push((sh_vec *)field(o, op), (void *)value); break;
  case SH_CLI_INT:
    if (!parse_int(value, (int64_t *)field(o, op))) {
      sh_error_usage(d, "--%s needs an integer, not '%s'", op->name, value);
      return -1;
    }
    break;
  }
  return 0;
}

static size_t nopts(const sh_cli_cmd *cmd) {
  size_t n = 0;
  if (cmd->opts)
    while (cmd->opts[n].name) n++;
  return n;
}

int sh_cli_parse(const sh_cli_cmd *cmd, int argc, char **argv, void *o, sh_cli_args *pos, bool *help, sh_diags *d) {
  memset(o, 0, cmd->opts_size);
  memset(pos, 0, sizeof *pos);
  *help = false;
  size_t no = nopts(cmd);
  bool *seen = sh_calloc(no + 1, sizeof *seen);
  int rc = 0;
  for (size_t k = 0; k < no; k++) {
    const sh_cli_opt *op = &cmd->opts[k];
    if (!op->def) continue;
    if (op->type == SH_CLI_STR && op->def[0] == '$') { /* "$VAR": from the environment when set */
      const char *v = getenv(op->def + 1);
      if (v && *v) *(const char **)field(o, op) = v;
    } else if (op->type == SH_CLI_STR) *(const char **)field(o, op) = op->def;
    else if (op->type == SH_CLI_INT) parse_int(op->def, (int64_t *)field(o, op));
  }
  pos->v = sh_calloc((size_t)argc + 1, sizeof *pos->v);
  /* Every argument must be valid UTF-8: shinsa stores and writes only UTF-8 text (the store, JSON, XLSX). */
  for (int i = 0; i < argc && rc == 0; i++) {
    size_t bad;
    if (!sh_utf8_valid(argv[i], strlen(argv[i]), &bad)) {
      const char *opt = i > 0 && argv[i - 1][0] == '-' && argv[i - 1][1] ? argv[i - 1] : NULL;
      if (opt)
        sh_error_usage(d, "argument %d (after %s) is not valid UTF-8 (byte 0x%02X at position %zu): '%s'", i + 1, opt,
                       (unsigned char)argv[i][bad], bad + 1, argv[i]);
      else
        sh_error_usage(d, "argument %d is not valid UTF-8 (byte 0x%02X at position %zu): '%s'", i + 1,
                       (unsigned char)argv[i][bad], bad + 1, argv[i]);
      rc = -1;
    }
  }
  bool only_pos = false;
  for (int i = 0; i < argc && rc == 0; i++) {
    const char *a = argv[i];
    if (only_pos || a[0] != '-' || strcmp(a, "-") == 0) {
      pos->v[pos->n++] = argv[i];
      continue;
    }
    if (strcmp(a, "--") == 0) {
      only_pos = true;
      continue;
    }
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      *help = true;
      continue;
    }
    const sh_cli_opt *op = NULL;
    const char *inline_val = NULL;
    if (a[1] != '-') { /* -x, -xVALUE */
      for (size_t k = 0; k < no; k++)
        if (cmd->opts[k].short_name && cmd->opts[k].short_name == a[1]) op = &cmd->opts[k];
      if (!op) {
        sh_error_usage(d, "unknown option '%s'", a);
        rc = -1;
        break;
      }
      if (a[2]) {
        if (op->type == SH_CLI_FLAG) {
          sh_error_usage(d, "unknown option '%s'", a);
          rc = -1;
          break;
        }
        inline_val = a + 2;
      }
    } else {
      const char *name = a + 2;
      const char *eq = strchr(name, '=');
      size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
      for (size_t k = 0; k < no; k++)
        if (strlen(cmd->opts[k].name) == nlen && strncmp(cmd->opts[k].name, name, nlen) == 0) op = &cmd->opts[k];
      if (!op) {
        sh_error_usage(d, "unknown option '--%.*s'", (int)nlen, name);
        rc = -1;
        break;
      }
      if (eq) {
        if (op->type == SH_CLI_FLAG) {
          sh_error_usage(d, "option '--%s' takes no value", op->name);
          rc = -1;
          break;
        }
        inline_val = eq + 1;
      }
    }
    const char *val = NULL;
    if (op->type != SH_CLI_FLAG) {
      if (inline_val) val = inline_val;
      else if (i + 1 < argc) val = argv[++i];
      else {
        sh_error_usage(d, "option '--%s' needs a value", op->name);
        rc = -1;
        break;
      }
    }
    rc = store(op, o, val, &seen[op - cmd->opts], d);
  }
  if (rc == 0 && !*help) {
    for (size_t k = 0; k < no && rc == 0; k++) {
      const sh_cli_opt *op = &cmd->opts[k];
      if (!op->required || seen[k]) continue;
      if (op->type == SH_CLI_STR && *(const char **)field(o, op)) continue; /* from the environment */
      sh_error_usage(d, "--%s%s%s is required", op->name, op->arg ? " " : "", op->arg ? op->arg : "");
      rc = -1;
    }
    if (rc == 0 && pos->n < cmd->min_pos) {
      sh_error_usage(d, "missing argument: give %s", cmd->usage);
      rc = -1;
    } else if (rc == 0 && cmd->max_pos != SH_CLI_MANY && pos->n > cmd->max_pos) {
      sh_error_usage(d, "unexpected argument '%s'", pos->v[cmd->max_pos]);
      rc = -1;
    }
  }
  free(seen);
  return rc;
}

void sh_cli_opts_free(const sh_cli_cmd *cmd, void *o, sh_cli_args *pos) {
  for (size_t k = 0; cmd->opts && cmd->opts[k].name; k++)
    if (cmd->opts[k].type == SH_CLI_LIST) sh_vec_free((sh_vec *)field(o, &cmd->opts[k]));
  free(pos->v);
  memset(pos, 0, sizeof *pos);
}

const sh_cli_cmd *sh_cli_find(const sh_cli_cmd *const *list, const char *name) {
  for (size_t i = 0; list && list[i]; i++)
    if (strcmp(list[i]->name, name) == 0) return list[i];
  return NULL;
}

/* ---------- help ---------- */

/* A table text in lang (NULL stays NULL). */
static const char *T(const char *lang, const char *s) { return s ? sh_tr(lang, s) : NULL; }

/* "-o, --out FILE" */
static void opt_label(sh_buf *b, const sh_cli_opt *op) {
  if (op->short_name) sh_buf_printf(b, "-%c, ", op->short_name);
  sh_buf_printf(b, "--%s", op->name);
  if (op->arg) sh_buf_printf(b, " %s", op->arg);
}

/* The code point at p (one byte of an invalid sequence counts as U+FFFD) and its length. */
static utf8proc_int32_t cp_at(const char *p, size_t *len) {
  utf8proc_int32_t c;
  utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)p, -1, &c);
  if (n <= 0) {
    *len = 1;
    return 0xFFFD;
  }
  *len = (size_t)n;
  return c;
}

/* Japanese line breaking (JIS X 4051, the common part): no break before closing brackets and punctuation,
 * nor after opening brackets. */
static bool no_break_before(utf8proc_int32_t c) {
  return c && (strchr(")]},.;:!?", c < 0x80 ? (int)c : 1) != NULL ||
               (c >= 0x3001 && c <= 0x3002) || c == 0x30FC || c == 0x30FB || c == 0xFF09 || c == 0xFF0C ||
               c == 0xFF0E || c == 0xFF1A || c == 0xFF1B || c == 0xFF01 || c == 0xFF1F || c == 0x300D ||
               c == 0x300F || c == 0x3011 || c == 0x3015 || c == 0xFF3D || c == 0xFF5D || c == 0x3041 ||
               c == 0x3043 || c == 0x3045 || c == 0x3047 || c == 0x3049 || c == 0x3063 || c == 0x3083 ||
               c == 0x3085 || c == 0x3087 || c == 0x30A1 || c == 0x30A3 || c == 0x30A5 || c == 0x30A7 ||
               c == 0x30A9 || c == 0x30C3 || c == 0x30E3 || c == 0x30E5 || c == 0x30E7);
}
static bool no_break_after(utf8proc_int32_t c) {
  return c == 0xFF08 || c == 0x300C || c == 0x300E || c == 0x3010 || c == 0x3014 || c == 0xFF3B || c == 0xFF5B;
}
static bool is_wide(utf8proc_int32_t c) { return utf8proc_charwidth(c) >= 2; }

/* The end of the unbreakable piece of text starting at p (not a space or '\n'): a word of narrow characters,
 * or one wide character, with the opening brackets before and the closing punctuation after it. *w: its
 * width in columns. */
static const char *unit_end(const char *p, int *w) {
  const char *q = p;
  size_t n;
  utf8proc_int32_t c = cp_at(q, &n);
  *w = 0;
#define TAKE() (*w += utf8proc_charwidth(c) > 0 ? utf8proc_charwidth(c) : 0, q += n, c = *q ? cp_at(q, &n) : 0)
  while (*q && no_break_after(c)) TAKE();
  if (*q && *q != ' ' && *q != '\n') {
    if (is_wide(c)) TAKE();
    else
      while (*q && *q != ' ' && *q != '\n' && !is_wide(c)) TAKE();
  }
  while (*q && no_break_before(c)) TAKE();
#undef TAKE
  return q;
}

/* Appends text wrapped to SH_CLI_WIDTH display columns (East Asian Width: a Japanese character takes two),
 * breaking at spaces and between Japanese characters; lines after the first indented by ind spaces; the
 * first line starts at column ind too. A '\n' in text forces a break. */
#define SH_CLI_WIDTH 100
static void put_wrapped(sh_buf *b, const char *text, int ind) {
  int col = ind;
  bool space = false; /* a space in the text before the next piece */
  for (const char *p = text; *p;) {
    if (*p == '\n') {
      p++;
      if (*p) sh_buf_printf(b, "\n%*s", ind, "");
      col = ind;
      space = false;
      continue;
    }
    if (*p == ' ') {
      space = true;
      p++;
      continue;
    }
    int w;
    const char *q = unit_end(p, &w);
    if (col > ind && col + (space ? 1 : 0) + w > SH_CLI_WIDTH) {
      sh_buf_printf(b, "\n%*s", ind, "");
      col = ind;
    } else if (col > ind && space) {
      sh_buf_putc(b, ' ');
      col++;
    }
    sh_buf_put(b, p, (size_t)(q - p));
    col += w;
    space = false;
    p = q;
  }
}

static void opt_help_text(sh_buf *b, const sh_cli_opt *op, const char *lang) {
  sh_buf_puts(b, T(lang, op->help));
  if (op->choices) {
    sh_buf c = {0};
    choices_list(&c, op->choices);
    sh_buf_printf(b, sh_tr(lang, " (%s)"), sh_buf_str(&c));
    sh_buf_free(&c);
  }
  if (op->def && *op->def && op->type != SH_CLI_FLAG) sh_buf_printf(b, sh_tr(lang, "; default: %s"), op->def);
  if (op->required)
    sh_buf_puts(b, op->def && op->def[0] == '$' ? sh_tr(lang, "; required unless that is set") : sh_tr(lang, "; required"));
  if (op->type == SH_CLI_LIST) sh_buf_puts(b, sh_tr(lang, "; repeatable"));
}

char *sh_cli_help(const sh_cli_cmd *cmd, const char *path) { return sh_cli_help_lang(cmd, path, sh_msg_lang()); }

char *sh_cli_help_lang(const sh_cli_cmd *cmd, const char *path, const char *lang) {
  sh_buf b = {0};
  sh_buf_printf(&b, sh_tr(lang, "Usage: %s %s\n"), path, cmd->usage);
  sh_buf_printf(&b, "\n%s", T(lang, cmd->description));
  if (cmd->subs) {
    sh_buf_printf(&b, "\n%s\n", sh_tr(lang, "Commands:"));
    for (size_t i = 0; cmd->subs[i]; i++)
      sh_buf_printf(&b, "  %-12s %s\n", cmd->subs[i]->name, T(lang, cmd->subs[i]->summary));
  }
  sh_buf_printf(&b, "\n%s\n", sh_tr(lang, "Options:"));
  for (size_t k = 0; cmd->opts && cmd->opts[k].name; k++) {
    const sh_cli_opt *op = &cmd->opts[k];
    sh_buf lab = {0};
    opt_label(&lab, op);
    sh_buf_printf(&b, "  %-22s", sh_buf_str(&lab));
    if (lab.len > 22) sh_buf_printf(&b, "\n  %-22s", "");
    sh_buf_free(&lab);
    sh_buf txt = {0};
    opt_help_text(&txt, op, lang);
    sh_buf_puts(&b, " ");
    put_wrapped(&b, sh_buf_str(&txt), 25);
    sh_buf_putc(&b, '\n');
    sh_buf_free(&txt);
  }
  sh_buf_printf(&b, "  %-22s %s\n", "-h, --help", sh_tr(lang, "show this help"));
  if (cmd->examples && cmd->examples[0].args) {
    sh_buf_printf(&b, "\n%s\n", sh_tr(lang, "Examples:"));
    for (size_t i = 0; cmd->examples[i].args; i++) {
      sh_buf_printf(&b, "  shinsa %s\n      ", cmd->examples[i].args);
      put_wrapped(&b, T(lang, cmd->examples[i].what), 6);
      sh_buf_putc(&b, '\n');
    }
  }
  if (cmd->exits && cmd->exits[0].meaning) {
    sh_buf_printf(&b, "\n%s\n", sh_tr(lang, "Exit status:"));
    for (size_t i = 0; cmd->exits[i].meaning; i++)
      sh_buf_printf(&b, "  %d  %s\n", cmd->exits[i].code, T(lang, cmd->exits[i].meaning));
  }
  return sh_buf_steal(&b);
}

/* ---------- dispatch ---------- */

static int finish(sh_diags *d, const char *path) {
  sh_diags_print(d, stderr, true);
  if (sh_diags_has(d, SH_DIAG_USAGE)) fprintf(stderr, _("Try '%s --help'.\n"), path);
  int code = sh_diags_exit_code(d);
  sh_diags_free(d);
  return code;
}

int sh_cli_dispatch(const sh_cli_cmd *cmd, const char *path, int argc, char **argv) {
  sh_diags d = {0};
  if (cmd->subs) {
    if (argc > 0 && argv[0][0] != '-') {
      const sh_cli_cmd *sub = sh_cli_find(cmd->subs, argv[0]);
      if (!sub) {
        sh_error_usage(&d, "unknown command '%s'", argv[0]);
        return finish(&d, path);
      }
      char *subpath = sh_printf("%s %s", path, sub->name);
      int rc = sh_cli_dispatch(sub, subpath, argc - 1, argv + 1);
      free(subpath);
      return rc;
    }
    bool help = false;
    for (int i = 0; i < argc; i++) {
      if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) help = true;
      else if (!help) sh_error_usage(&d, "unknown option '%s'", argv[i]);
    }
    char *h = sh_cli_help(cmd, path);
    if (help) {
      fputs(h, stdout);
      sh_diags_free(&d);
    } else {
      if (!d.n) sh_error_usage(&d, "give a command: %s COMMAND", path);
      fputs(h, stderr);
    }
    free(h);
    return help ? SH_EXIT_OK : finish(&d, path);
  }
  void *o = sh_calloc(1, cmd->opts_size ? cmd->opts_size : 1);
  sh_cli_args pos;
  bool help;
  if (sh_cli_parse(cmd, argc, argv, o, &pos, &help, &d) == 0) {
    if (help) {
      char *h = sh_cli_help(cmd, path);
      fputs(h, stdout);
      free(h);
    } else {
      cmd->run(o, &pos, &d);
    }
  }
  sh_cli_opts_free(cmd, o, &pos);
  free(o);
  return finish(&d, path);
}

/* ---------- man page ---------- */

/* Set while the Japanese page is written (sh_cli_man; shinsa is single-threaded): roff() then marks the places
 * between Japanese characters where a line may break (\:, which groff needs: it breaks only at spaces) and
 * man_paragraphs joins a paragraph's lines without the space groff would put between them. */
static bool roff_cjk;

/* Roff-escaped text: backslashes, hyphens, a leading '.' or '\'', and non-ASCII characters as
 * \[uXXXX] (so the page needs no preconv). */
static void roff(sh_buf *b, const char *s) {
  bool bol = true;
  for (const char *p = s; *p;) {
    unsigned char ch = (unsigned char)*p;
    if (bol && (ch == '.' || ch == '\'')) sh_buf_puts(b, "\\&");
    bol = ch == '\n';
    if (ch < 0x80) {
      if (ch == '\\') sh_buf_puts(b, "\\e");
      else if (ch == '-') sh_buf_puts(b, "\\-");
      else sh_buf_putc(b, (char)ch);
      p++;
      continue;
    }
    size_t n;
    utf8proc_int32_t c = cp_at(p, &n);
    p += n;
    if (c != 0xFFFD || n > 1) sh_buf_printf(b, "\\[u%04X]", (unsigned)c);
    if (roff_cjk && *p && *p != ' ' && *p != '\n') {
      size_t m;
      utf8proc_int32_t next = cp_at(p, &m);
      if ((is_wide(c) || is_wide(next)) && !no_break_after(c) && !no_break_before(next)) sh_buf_puts(b, "\\:");
    }
  }
}

static void man_paragraphs(sh_buf *b, const char *text);

/* ".PP" and a heading line inside a command's subsection ("Options:"). */
static void man_heading(sh_buf *b, const char *text) {
  sh_buf_puts(b, ".PP\n");
  roff(b, text);
  sh_buf_putc(b, '\n');
}

static void man_cmd(sh_buf *b, const sh_cli_cmd *cmd, const char *path, const char *lang) {
  sh_buf_puts(b, ".SS \"");
  roff(b, path);
  sh_buf_puts(b, "\"\n.B ");
  roff(b, path);
  sh_buf_puts(b, "\n");
  roff(b, cmd->usage);
  sh_buf_puts(b, "\n.PP\n");
  man_paragraphs(b, T(lang, cmd->description));
  if (cmd->subs) {
    man_heading(b, sh_tr(lang, "Commands:"));
    for (size_t i = 0; cmd->subs[i]; i++) {
      sh_buf_puts(b, ".TP\n.B ");
      roff(b, cmd->subs[i]->name);
      sh_buf_putc(b, '\n');
      roff(b, T(lang, cmd->subs[i]->summary));
      sh_buf_putc(b, '\n');
    }
  }
  if (cmd->opts && cmd->opts[0].name) {
    man_heading(b, sh_tr(lang, "Options:"));
    for (size_t k = 0; cmd->opts[k].name; k++) {
      const sh_cli_opt *op = &cmd->opts[k];
      sh_buf_puts(b, ".TP\n");
      if (op->short_name) sh_buf_printf(b, "\\fB\\-%c\\fR, ", op->short_name);
      sh_buf_puts(b, "\\fB\\-\\-");
      roff(b, op->name);
      sh_buf_puts(b, "\\fR");
      if (op->arg) {
        sh_buf_puts(b, " \\fI");
        roff(b, op->arg);
        sh_buf_puts(b, "\\fR");
      }
      sh_buf_putc(b, '\n');
      sh_buf txt = {0};
      opt_help_text(&txt, op, lang);
      roff(b, sh_buf_str(&txt));
      sh_buf_putc(b, '\n');
      sh_buf_free(&txt);
    }
  }
  if (cmd->examples && cmd->examples[0].args) {
    man_heading(b, sh_tr(lang, "Examples:"));
    for (size_t i = 0; cmd->examples[i].args; i++) {
      sh_buf_puts(b, ".TP\n.B shinsa ");
      roff(b, cmd->examples[i].args);
      sh_buf_putc(b, '\n');
      roff(b, T(lang, cmd->examples[i].what));
      sh_buf_putc(b, '\n');
    }
  }
  if (cmd->exits && cmd->exits[0].meaning) {
    man_heading(b, sh_tr(lang, "Exit status:"));
    for (size_t i = 0; cmd->exits[i].meaning; i++) {
      sh_buf_printf(b, ".TP\n.B %d\n", cmd->exits[i].code);
      roff(b, T(lang, cmd->exits[i].meaning));
      sh_buf_putc(b, '\n');
    }
  }
  for (size_t i = 0; cmd->subs && cmd->subs[i]; i++) {
    char *sub = sh_printf("%s %s", path, cmd->subs[i]->name);
    man_cmd(b, cmd->subs[i], sub, lang);
    free(sub);
  }
}

/* The description as roff paragraphs: a blank line starts a new one. In the Japanese page a line ending in a
 * Japanese character continues on the next without a space (\c). */
static void man_paragraphs(sh_buf *b, const char *text) {
  const char *p = text;
  while (*p) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    if (n == 0) sh_buf_puts(b, ".PP\n");
    else {
      char *line = sh_strndup(p, n);
      roff(b, line);
      const char *last = line + n;
      while (last > line && ((unsigned char)last[-1] & 0xC0) == 0x80) last--;
      if (last > line) last--;
      size_t m;
      if (roff_cjk && nl && nl[1] && nl[1] != '\n' && is_wide(cp_at(last, &m))) sh_buf_puts(b, "\\c");
      sh_buf_putc(b, '\n');
      free(line);
    }
    p += n + (nl ? 1 : 0);
  }
}

/* A section heading (.SH): the English name, or its translation in quotes. */
static void man_section(sh_buf *b, const char *lang, const char *name) {
  sh_buf_puts(b, ".SH ");
  const char *t = sh_tr(lang, name);
  if (t == name) sh_buf_puts(b, name);
  else {
    sh_buf_putc(b, '"');
    roff(b, t);
    sh_buf_putc(b, '"');
  }
  sh_buf_putc(b, '\n');
}

char *sh_cli_man(const sh_cli_cmd *root, const char *version, const char *lang) {
  sh_buf b = {0};
  roff_cjk = strcmp(lang, "en") != 0;
  sh_buf_printf(&b, ".TH SHINSA 1 \"\" \"shinsa %s\" \"", version);
  roff(&b, sh_tr(lang, "User Commands"));
  sh_buf_puts(&b, "\"\n");
  if (roff_cjk) sh_buf_puts(&b, ".ad l\n"); /* Japanese text has no spaces to stretch: ragged right */
  /* NAME stays "shinsa \- summary" in every language: mandb and apropos read it. */
  man_section(&b, lang, N_("NAME"));
  sh_buf_puts(&b, "shinsa \\- ");
  roff(&b, T(lang, root->summary));
  sh_buf_putc(&b, '\n');
  man_section(&b, lang, N_("SYNOPSIS"));
  sh_buf_puts(&b, ".B shinsa\n");
  roff(&b, root->usage);
  sh_buf_puts(&b, "\n.br\n.B shinsa help\n\\fICOMMAND\\fR [\\fISUBCOMMAND\\fR]\n");
  man_section(&b, lang, N_("DESCRIPTION"));
  man_paragraphs(&b, T(lang, root->description));
  man_section(&b, lang, N_("COMMANDS"));
  for (size_t i = 0; root->subs[i]; i++) {
    char *path = sh_printf("shinsa %s", root->subs[i]->name);
    man_cmd(&b, root->subs[i], path, lang);
    free(path);
  }
  man_section(&b, lang, N_("ENVIRONMENT"));
  sh_buf_puts(&b, ".TP\n.B SHINSA_DATA_DIR\n");
  roff(&b, sh_tr(lang, "where rules/ and checklists/ are found (overridden by --data-dir)."));
  sh_buf_putc(&b, '\n');
  man_section(&b, lang, N_("EXIT STATUS"));
  for (size_t i = 0; root->exits && root->exits[i].meaning; i++) {
    sh_buf_printf(&b, ".TP\n.B %d\n", root->exits[i].code);
    roff(&b, T(lang, root->exits[i].meaning));
    sh_buf_putc(&b, '\n');
  }
  man_section(&b, lang, N_("EXAMPLES"));
  for (size_t i = 0; root->examples && root->examples[i].args; i++) {
    sh_buf_puts(&b, ".TP\n.B shinsa ");
    roff(&b, root->examples[i].args);
    sh_buf_putc(&b, '\n');
    roff(&b, T(lang, root->examples[i].what));
    sh_buf_putc(&b, '\n');
  }
  roff_cjk = false;
  return sh_buf_steal(&b);
}

/* ---------- bash completion ---------- */

/* What to complete for an option's argument: directories, files, or nothing. */
static const char *arg_compgen(const sh_cli_opt *op) {
  if (!op->arg) return NULL;
  if (strstr(op->arg, "DIR")) return "-d";
  if (strstr(op->arg, "FILE") || strstr(op->arg, "XSD") || strstr(op->arg, "CSV") || strstr(op->arg, "PATH"))
    return "-f";
  return "";
}

static void comp_cmd(sh_buf *b, const sh_cli_cmd *cmd, const char *path) {
  sh_buf_printf(b, "    \"%s\")\n", path);
  bool any_prev = false;
  for (size_t k = 0; cmd->opts && cmd->opts[k].name; k++) {
    const sh_cli_opt *op = &cmd->opts[k];
    const char *cg = arg_compgen(op);
    if (!cg) continue;
    if (!any_prev) sh_buf_puts(b, "      case \"$prev\" in\n");
    any_prev = true;
    sh_buf_printf(b, "        --%s", op->name);
    if (op->short_name) sh_buf_printf(b, "|-%c", op->short_name);
    if (op->choices) {
      sh_buf_puts(b, ") COMPREPLY=($(compgen -W \"");
      for (size_t i = 0; op->choices[i]; i++) sh_buf_printf(b, "%s%s", i ? " " : "", op->choices[i]);
      sh_buf_puts(b, "\" -- \"$cur\")); return ;;\n");
    } else if (*cg) {
      sh_buf_printf(b, ") COMPREPLY=($(compgen %s -- \"$cur\")); return ;;\n", cg);
    } else {
      sh_buf_puts(b, ") COMPREPLY=(); return ;;\n");
    }
  }
  if (any_prev) sh_buf_puts(b, "      esac\n");
  sh_buf_puts(b, "      words_=\"");
  for (size_t i = 0; cmd->subs && cmd->subs[i]; i++) sh_buf_printf(b, "%s ", cmd->subs[i]->name);
  for (size_t k = 0; cmd->opts && cmd->opts[k].name; k++) {
    sh_buf_printf(b, "--%s ", cmd->opts[k].name);
    if (cmd->opts[k].short_name) sh_buf_printf(b, "-%c ", cmd->opts[k].short_name);
  }
  sh_buf_puts(b, "--help\"\n");
  const char *pc = cmd->pos_complete;
  if (pc && !cmd->subs)
    sh_buf_printf(b, "      if [[ $cur != -* ]]; then COMPREPLY=($(compgen %s -- \"$cur\")); return; fi\n",
                  strcmp(pc, "dir") == 0 ? "-d" : "-f");
  sh_buf_puts(b, "      COMPREPLY=($(compgen -W \"$words_\" -- \"$cur\")) ;;\n");
  for (size_t i = 0; cmd->subs && cmd->subs[i]; i++) {
    char *sub = sh_printf("%s %s", path, cmd->subs[i]->name);
    comp_cmd(b, cmd->subs[i], sub);
    free(sub);
  }
}

static void comp_path_step(sh_buf *b, const sh_cli_cmd *cmd, const char *path) {
  if (!cmd->subs) return;
  sh_buf_printf(b, "      \"%s\") case \" %s", path, *path ? "" : "help ");
  for (size_t i = 0; cmd->subs[i]; i++) sh_buf_printf(b, "%s ", cmd->subs[i]->name);
  sh_buf_printf(b, "\" in *\" $w \"*) path=\"%s%s$w\" ;; esac ;;\n", path, *path ? " " : "");
  for (size_t i = 0; cmd->subs[i]; i++) {
    if (!cmd->subs[i]->subs) continue;
    char *sub = *path ? sh_printf("%s %s", path, cmd->subs[i]->name) : sh_strdup(cmd->subs[i]->name);
    comp_path_step(b, cmd->subs[i], sub);
    free(sub);
  }
}

char *sh_cli_bash_completion(const sh_cli_cmd *const *top) {
  sh_buf b = {0};
  sh_cli_cmd root = {.name = "", .subs = top};
  sh_buf_puts(&b, "# bash completion for shinsa (generated from the command tables: shinsa --dump-completion)\n"
                  "_shinsa() {\n"
                  "  local cur prev words_ path=\"\" i w\n"
                  "  cur=\"${COMP_WORDS[COMP_CWORD]}\"\n"
                  "  prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
                  "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
                  "    w=\"${COMP_WORDS[i]}\"\n"
                  "    [[ $w == -* ]] && continue\n"
                  "    case \"$path\" in\n");
  comp_path_step(&b, &root, "");
  sh_buf_puts(&b, "      \"help\") ;;\n"
                  "    esac\n"
                  "  done\n"
                  "  case \"$path\" in\n"
                  "    \"\") COMPREPLY=($(compgen -W \"");
  for (size_t i = 0; top[i]; i++) sh_buf_printf(&b, "%s ", top[i]->name);
  sh_buf_puts(&b, "help --help --version\" -- \"$cur\")) ;;\n"
                  "    \"help\") COMPREPLY=($(compgen -W \"");
  for (size_t i = 0; top[i]; i++) sh_buf_printf(&b, "%s%s", i ? " " : "", top[i]->name);
  sh_buf_puts(&b, "\" -- \"$cur\")) ;;\n");
  for (size_t i = 0; top[i]; i++) comp_cmd(&b, top[i], top[i]->name);
  sh_buf_puts(&b, "  esac\n}\ncomplete -F _shinsa shinsa\n");
  return sh_buf_steal(&b);
}
