/* clock: "now" and calendar days in the certifying body's time zone. Expiry and validity dates are
 * calendar days in that zone (default Asia/Tokyo), compared by day; stored timestamps are UTC and
 * shown in that zone. The zone comes from --tz, else SHINSA_TZ, else the data directory's
 * rules/quorum.yaml `time_zone:`, else Asia/Tokyo. SHINSA_NOW=YYYY-MM-DDTHH:MM:SSZ fixes "now" (a
 * test hook, documented in docs/reports-and-review.md). Zones are applied through the C library
 * (TZ + localtime_r); the process's TZ is restored afterwards. Returned strings are owned. */
#ifndef SHINSA_CLOCK_H
#define SHINSA_CLOCK_H

#include "util.h"

#include <stdbool.h>
#include <time.h>

#define SH_TZ_DEFAULT "Asia/Tokyo"

/* Now (UTC seconds), from SHINSA_NOW when set and valid. */
time_t sh_now(void);
/* Now as ISO 8601 UTC "YYYY-MM-DDTHH:MM:SSZ". */
void sh_now_iso(char buf[32]);

/* Parses "YYYY-MM-DDTHH:MM:SSZ" (UTC). */
bool sh_iso_parse(const char *s, time_t *out);

/* Is tz a usable zone: an IANA name present in the system's zoneinfo, or "UTC"? Asia/Tokyo is always
 * usable (fixed +09:00, no daylight saving since 1951) even without tzdata. */
bool sh_tz_valid(const char *tz);
/* The zone to use: opt (command line) if not NULL, else SHINSA_TZ, else file_tz (quorum.yaml), else
 * Asia/Tokyo. Does not validate. */
const char *sh_tz_pick(const char *opt, const char *file_tz);

/* The calendar day of t in zone tz. */
sh_date sh_date_in_tz(time_t t, const char *tz);
/* Today in zone tz. */
sh_date sh_today_in_tz(const char *tz);
/* A stored UTC timestamp shown in zone tz: "2026-03-31 23:59:00 +09:00 (Asia/Tokyo)"; the input
 * unchanged when it is not a valid timestamp. */
char *sh_time_show(const char *iso_utc, const char *tz);

#endif
