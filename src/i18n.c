/* i18n: see i18n.h. GNU gettext (glibc's libintl) with the catalog of text domain "shinsa". One process
 * may write a Japanese report and an English one: sh_tr switches the catalog language through LANGUAGE,
 * as the gettext manual describes for changing the language at run time. */
#include "i18n.h"

#include "config.h"

#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern int _nl_msg_cat_cntr; /* glibc: incremented to drop the translations cached for the old language */

static bool inited;
static char localedir[PATH_MAX];

/* The catalog built in the build tree (build/po/ja/LC_MESSAGES/shinsa.mo) when this program runs from it. */
static bool build_tree_dir(char *out, size_t cap) {
  char exe[PATH_MAX], root[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0 || !realpath(SHINSA_BUILD_ROOT, root)) return false;
  exe[n] = '\0';
  size_t rl = strlen(root);
  if (strncmp(exe, root, rl) != 0 || exe[rl] != '/') return false;
  char mo[PATH_MAX];
  int k = snprintf(mo, sizeof mo, "%s/po/ja/LC_MESSAGES/%s.mo", root, SH_TEXTDOMAIN);
  if (k < 0 || (size_t)k >= sizeof mo || access(mo, R_OK) != 0) return false;
  k = snprintf(out, cap, "%s/po", root);
  return k > 0 && (size_t)k < cap;
}

void sh_i18n_init(void) {
  if (inited) return;
  inited = true;
  const char *env = getenv("SHINSA_LOCALEDIR");
  if (env && *env && strlen(env) < sizeof localedir) strcpy(localedir, env);
  else if (!build_tree_dir(localedir, sizeof localedir)) {
    strncpy(localedir, SHINSA_LOCALEDIR, sizeof localedir - 1);
  }
  /* Only messages and the character set follow the environment: numbers and collation stay "C" (reports and
   * JSON must not change with LC_NUMERIC). gettext ignores LANGUAGE under the C locale, so that case gets
   * C.UTF-8, which every glibc has (and UTF-8 output for translated text). */
  static const int cats[] = {LC_MESSAGES, LC_CTYPE};
  for (size_t i = 0; i < sizeof cats / sizeof cats[0]; i++) {
    const char *got = setlocale(cats[i], "");
    if (!got || strcmp(got, "C") == 0 || strcmp(got, "POSIX") == 0) setlocale(cats[i], "C.UTF-8");
  }
  bindtextdomain(SH_TEXTDOMAIN, localedir);
  bind_textdomain_codeset(SH_TEXTDOMAIN, "UTF-8");
}

const char *sh_i18n_localedir(void) {
  sh_i18n_init();
  return localedir;
}

const char *sh_lang_of_locale(const char *value) {
  if (!value) return NULL;
  /* LANGUAGE is a list ("en_US:ja"): the first entry that is ja or en decides. */
  const char *p = value;
  while (*p) {
    size_t n = strcspn(p, ":");
    if (n >= 2 && (n == 2 || p[2] == '_' || p[2] == '.' || p[2] == '@')) {
      if (strncmp(p, "ja", 2) == 0) return "ja";
      if (strncmp(p, "en", 2) == 0) return "en";
    }
    p += n;
    if (*p == ':') p++;
  }
  return NULL;
}

const char *sh_locale_lang(void) {
  const char *language = getenv("LANGUAGE");
  const char *names[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
  const char *loc = NULL;
  for (size_t i = 0; i < 3 && !loc; i++) {
    const char *v = getenv(names[i]);
    if (v && *v) loc = v;
  }
  bool c_locale = !loc || strcmp(loc, "C") == 0 || strcmp(loc, "POSIX") == 0 || strncmp(loc, "C.", 2) == 0;
  /* As gettext does: LANGUAGE counts only when the locale is not C. */
  if (!c_locale && language && *language) {
    const char *l = sh_lang_of_locale(language);
    if (l) return l;
  }
  return c_locale ? NULL : sh_lang_of_locale(loc);
}

const char *sh_report_lang(const char *opt) {
  if (opt && strcmp(opt, "en") == 0) return "en";
  if (opt && strcmp(opt, "ja") == 0) return "ja";
  const char *l = sh_locale_lang();
  return l ? l : "ja";
}

static const char *msg_lang_set; /* sh_msg_lang_set's language, or NULL */

const char *sh_msg_lang_set(const char *lang) {
  const char *was = msg_lang_set;
  msg_lang_set = !lang ? NULL : strcmp(lang, "en") == 0 ? "en" : "ja";
  return was;
}

const char *sh_msg_lang(void) {
  if (msg_lang_set) return msg_lang_set;
  const char *l = sh_locale_lang();
  return l ? l : "en";
}

/* Sets LANGUAGE (NULL: unsets it). sh_tr restores it after each lookup, so that glibc's own messages, strerror's, and
 * child processes see the user's setting. */
static void set_language(const char *v) {
  if (v) setenv("LANGUAGE", v, 1);
  else unsetenv("LANGUAGE");
  ++_nl_msg_cat_cntr;
}

const char *sh_tr(const char *lang, const char *msgid) {
  if (!msgid || !*msgid) return msgid; /* "" would give the catalog's header */
  if (lang && strcmp(lang, "en") == 0) return msgid;
  sh_i18n_init();
  const char *v = getenv("LANGUAGE");
  char *was = v ? strdup(v) : NULL;
  set_language("ja");
  const char *s = dgettext(SH_TEXTDOMAIN, msgid);
  set_language(was);
  free(was);
  return s;
}
