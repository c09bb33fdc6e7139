/* overlay: `kind: overlay` files that attach machine checks to another framework's items by id,
 * without editing that framework's file (compare InSpec overlays, OpenSCAP tailoring).
 *
 *   overlay:
 *     id: my-phr-checks
 *     kind: overlay                  # optional, must be overlay
 *     framework: phr-official        # the framework whose items it extends
 *     framework_version: "3.0"       # optional: the version it was written for
 *     title: {ja: ..., en: ...}      # optional
 *   items:
 *     - id: "２－１"                 # matched by NFKC key: "2-1" finds "２－１"
 *       require: "..."               # makes the item machine-checkable (no longer manual)
 *       applies_if: "..."
 *       strength: must
 *       group: consent
 *       min_provenance: attested
 *       evidence_needed: [{ja: ..., en: ...}]
 *       text: {en: ...}              # an English text; the item's Japanese text is never replaced
 *
 * Applying changes the items in place (the registry owns them) and records on each item which
 * overlay entry changed it (sh_item.overlay, "FILE:LINE"). Ownership: sh_overlay_load returns an
 * overlay the caller frees with sh_overlay_free (the registry does, for the overlays it holds). */
#ifndef SHINSA_OVERLAY_H
#define SHINSA_OVERLAY_H

#include "framework.h"
#include "yamldoc.h"

typedef struct {
  char *id, *framework, *framework_version;
  int version_line, version_col;
  sh_text title;
  char *file;
  const char *origin;       /* static: where it was found ("bundled", "user", "SHINSA_DATA_PATH", "--framework") */
  sh_ydoc *doc;             /* kept until applied */
  char *text;               /* the file as read (recorded with a run, so that `report RUN` applies it again) */
  size_t text_len;
  size_t nitems, applied;
} sh_overlay;

/* True when a YAML file's top level has an `overlay:` key (cheap textual check). */
bool sh_overlay_file_is(const char *path);
/* Loads the overlay's header and keeps its document for sh_overlay_apply. NULL after errors. */
sh_overlay *sh_overlay_load(const char *path, sh_diags *d);
void sh_overlay_free(sh_overlay *o);
/* Applies the overlay to fw (whose id must be o->framework): parses the expressions against vocab.
 * An id missing from fw, an item changed by two overlays, a bad expression: errors at the overlay's
 * FILE:LINE:COL. A framework_version other than fw's: an error when strict (lint), else a warning.
 * Returns the number of items changed. */
size_t sh_overlay_apply(sh_overlay *o, const sh_vocab *vocab, sh_framework *fw, bool strict, sh_diags *d);

#endif
