/* fuzz_common: shared helpers of the libFuzzer targets (see fuzz/README.md).
 * Loaders that take a path get the fuzz input written to a file in one private scratch folder per
 * process (created on first use, removed at exit); the registry of the bundled data is loaded once. */
#ifndef SHINSA_FUZZ_COMMON_H
#define SHINSA_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "framework.h"

/* The process's scratch folder (owned by this module). */
const char *fz_dir(void);
/* Writes data to fz_dir()/rel (creating folders), replacing what was there. Returns the full path
 * (owned by this module, valid until the next call with the same rel). */
const char *fz_write(const char *rel, const uint8_t *data, size_t size);
/* The bundled data (rules/, checklists/ of the source tree, or of $SHINSA_FUZZ_DATA_DIR), loaded once; never NULL
 * (aborts when it does not load: a campaign binary older than the data it reads fails at its first input). */
const sh_registry *fz_registry(void);
/* data as a NUL-terminated copy (caller frees). */
char *fz_cstr(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
