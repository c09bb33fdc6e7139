/* clock: now, time zones and calendar days. See clock.h. */
#include "clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool sh_iso_parse(const char *s, time_t *out) {
  int y, mo, d, h, mi, se;
  char z;
  int n = 0;
  if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c%n", &y, &mo, &d, &h, &mi, &se, &z, &n) != 7 || z != 'Z' || s[n])
    return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60 || h < 0 || mi < 0 || se < 0) return false;
  char ds[11];
  snprintf(ds, sizeof ds, "%04d-%02d-%02d", y, mo, d);
  sh_date day;
  if (!sh_date_parse(ds, &day)) return false;
  *out = (time_t)day * 86400 + h * 3600 + mi * 60 + se;
  return true;
}

time_t sh_now(void) {
  time_t t;
  const char *e = getenv("SHINSA_NOW");
  if (e && *e && sh_iso_parse(e, &t)) return t;
  return time(NULL);
}

void sh_now_iso(char buf[32]) {
  time_t t = sh_now();
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The TZ value that applies zone tz through the C library. */
static const char *tz_value(const char *tz) {
  static char buf[300];
  if (strcmp(tz, "UTC") == 0) return "UTC0";
  char path[300];
  snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
  struct stat st;
  if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
    snprintf(buf, sizeof buf, ":%s", tz);
    return buf;
  }
  if (strcmp(tz, "Asia/Tokyo") == 0) return "JST-9";
  return NULL;
}

bool sh_tz_valid(const char *tz) {
  if (!tz || !*tz || tz[0] == '/' || strstr(tz, "..")) return false;
  return tz_value(tz) != NULL;
}

const char *sh_tz_pick(const char *opt, const char *file_tz) {
  if (opt && *opt) return opt;
  const char *e = getenv("SHINSA_TZ");
  if (e && *e) return e;
  if (file_tz && *file_tz) return file_tz;
  return SH_TZ_DEFAULT;
}

/* localtime_r in zone tz, restoring the process's TZ afterwards. */
static void local_in(time_t t, const char *tz, struct tm *tm) {
  const char *v = sh_tz_valid(tz) ? tz_value(tz) : "UTC0";
  char *old = getenv("TZ") ? sh_strdup(getenv("TZ")) : NULL;
  setenv("TZ", v, 1);
  tzset();
  localtime_r(&t, tm);
  if (old) setenv("TZ", old, 1);
  else unsetenv("TZ");
  tzset();
  free(old);
}

sh_date sh_date_in_tz(time_t t, const char *tz) {
  struct tm tm;
  local_in(t, tz, &tm);
  char ds[48];
  snprintf(ds, sizeof ds, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  sh_date d = 0;
  sh_date_parse(ds, &d);
  return d;
}

sh_date sh_today_in_tz(const char *tz) { return sh_date_in_tz(sh_now(), tz); }

char *sh_time_show(const char *iso_utc, const char *tz) {
  time_t t;
  if (!sh_iso_parse(iso_utc, &t)) return sh_strdup(iso_utc ? iso_utc : "");
  struct tm tm;
  local_in(t, tz, &tm);
  long off = tm.tm_gmtoff;
  char buf[40];
  strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return sh_printf("%s %c%02ld:%02ld (%s)", buf, off < 0 ? '-' : '+', labs(off) / 3600, labs(off) % 3600 / 60, tz);
}
