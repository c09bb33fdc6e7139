/* i18n: shinsa's message catalogs (GNU gettext, text domain "shinsa", po/ja.po; English is the source
 * language, so "en" needs no catalog). It owns the choice of language and the translation of one message:
 *   - the report language: --lang, else the locale's language when it is ja or en, else ja;
 *   - the message language of help and diagnostics (the person at the terminal): the locale's language,
 *     English for the C/POSIX locale;
 *   - sh_tr(lang, msgid): msgid in lang. Reports in two languages can be written in one process.
 * The catalog is found in the build tree when the program runs from there, else in the installed locale
 * folder. Every string returned is static or the catalog's (never freed by the caller). Not thread-safe:
 * shinsa translates from one thread. */
#ifndef SHINSA_I18N_H
#define SHINSA_I18N_H

#include <stdbool.h>

#define SH_TEXTDOMAIN "shinsa"

/* Binds the catalog. Called by main and by tests; later calls do nothing. sh_tr calls it when needed. */
void sh_i18n_init(void);
/* The folder the catalog is read from (build tree or installed). */
const char *sh_i18n_localedir(void);

/* "ja" or "en" from an environment value such as "ja_JP.UTF-8", "en", "en_US:ja"; NULL when neither. */
const char *sh_lang_of_locale(const char *value);
/* The language of the locale: LANGUAGE (its first ja/en entry), else LC_ALL, LC_MESSAGES, LANG (the first
 * that is set); NULL when that is C, POSIX, unset or another language. */
const char *sh_locale_lang(void);
/* The report language: opt when it is "ja" or "en", else the locale's language, else "ja". */
const char *sh_report_lang(const char *opt);
/* The language of help and diagnostics: the language set by sh_msg_lang_set, else the locale's, else "en" (the
 * source text). */
const char *sh_msg_lang(void);
/* Sets the message language ("ja" or "en"; NULL: the locale's again) in place of the locale's, for code that wants
 * a module's messages in one language whatever the terminal (roster.c keeps signature errors as English catalog
 * keys, translated when a report shows them). Returns the previous setting, to be restored with it. */
const char *sh_msg_lang_set(const char *lang);

/* msgid (English source text) in lang ("ja" or "en"; anything else is ja). The result keeps msgid's
 * printf conversions, so it may be used as a format. */
const char *sh_tr(const char *lang, const char *msgid) __attribute__((format_arg(2)));

/* Messages for the person at the terminal: help, diagnostics, prompts. */
#define _(s) sh_tr(sh_msg_lang(), s)
/* Marks a string for the catalog where it is defined (a table); it is translated where it is used. */
#define N_(s) (s)

#endif
