/* oscal_mapping: OSCAL 1.2 mapping-collections in and out.
 * Out: a computed crosswalk (crosswalk.h) as a mapping-collection, `shinsa crosswalk --format
 * oscal-mapping-xml|oscal-mapping-json`: derived relations in a mapping with provenance method automation and
 * matching rationale semantic, curated ones in a mapping with method human; classes as relationships
 * (A superset-of, B equivalent-to, C subset-of / intersects-with, D no-relationship or the target gap summary,
 * unknown left out and counted); witnesses, alternatives, unmet conditions and counter-models as props and
 * remarks. In: a mapping-collection read as curated relations (docs/formats.md §6), `shinsa import mapping
 * --oscal FILE --from S --to T`. Rules: docs/oscal.md §3 and §4. */
#ifndef SHINSA_OSCAL_MAPPING_H
#define SHINSA_OSCAL_MAPPING_H

#include "crosswalk.h"

typedef struct {
  size_t maps;                   /* map entries written (both mappings) */
  size_t per_class[SH_XW__COUNT]; /* target items per class; [SH_XW_UNKNOWN] = left out */
  size_t gaps;                   /* D items in the target gap summary (no source item at all) */
} sh_oscal_mapping_stats;

/* Appends the mapping-collection of xw to out (XML when xml, else JSON). Returns 0, or -1 with an error in d
 * when there is nothing OSCAL can carry (no item in any class but D without sources or unknown). */
int sh_oscal_mapping_render(const sh_crosswalk *xw, bool xml, sh_buf *out, sh_oscal_mapping_stats *st, sh_diags *d);

typedef struct {
  size_t maps;          /* map entries read */
  size_t relations;     /* relations written (one per target item) */
  size_t per_class[4];  /* A, B, C, D */
  size_t skipped;       /* maps whose target is not an item of T (listed as warnings) */
} sh_oscal_mapping_import_stats;

/* Reads the mapping-collection at path (XML, JSON or YAML) and appends a curated relations file for the pair
 * from_id -> to_id to out. from / to are those frameworks when installed (NULL otherwise: ids are then taken as
 * written, and `shinsa lint` checks them once the frameworks exist). With a framework, a map whose target (or
 * every source) is not one of its items is skipped and counted (ids as written, a leading '#' dropped, or tokens
 * made by sh_oscal_token). Several maps to one target become one relation: the union of their sources and the
 * strongest relationship (superset-of > equivalent-to/equal-to > subset-of > intersects-with > no-relationship).
 * Keys OSCAL does not define and a missing provenance (OSCAL 1.2) are errors at FILE:LINE:COL.
 * Returns 0, or -1 with errors in d and nothing appended. */
int sh_oscal_mapping_import(const char *path, const char *from_id, const char *to_id, const sh_framework *from,
                            const sh_framework *to, sh_buf *out, sh_oscal_mapping_import_stats *st, sh_diags *d);

#endif
