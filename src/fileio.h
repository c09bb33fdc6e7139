/* fileio: the one way shinsa opens the files it reads and writes the files it produces.
 *
 * Every input file (evidence.yaml, evidence documents, CDA exports and schemas, probed configuration files,
 * vocabularies, frameworks, quotes, recorded texts, and the spreadsheet/OSCAL importers) is opened here:
 * - Regular files only. The path is first opened with O_PATH (which never opens a device, never blocks on a
 *   FIFO and has no side effect), the descriptor is fstat'ed, and anything but a regular file is refused
 *   (EISDIR for a folder, EINVAL for a FIFO, device or socket). Only then is the same name re-opened for
 *   reading with O_NONBLOCK|O_NOCTTY (O_NONBLOCK is cleared afterwards) and the second descriptor is checked
 *   to be the same file (st_dev, st_ino) as the first, so a file swapped between the two opens is refused.
 * - Containment (sh_open_beneath): a path inside a root folder is resolved by shinsa itself, one component at a
 *   time with openat(O_PATH|O_NOFOLLOW) relative to the descriptor of the folder reached so far. The kernel never
 *   follows a symbolic link on shinsa's behalf: a link is read with readlinkat and its target resolved by the same
 *   walk, so a `..` above the root, or an absolute target outside it, is refused whatever the file system does
 *   between calls (the check holds on the descriptors actually opened, not on a path string checked earlier).
 *   Hard links cannot be told apart from the file they name and are not refused (see docs/threat-model.md).
 * - Reading and hashing are done from the opened descriptor with a size bound given by the caller (EFBIG past it),
 *   so what is checked, read and hashed is the same file.
 *
 * Output files are written by sh_write_file_atomic: a new temporary in the target's folder with a random name
 * (mkostemp: O_CREAT|O_EXCL, so a planted file or symbolic link at the temporary name is never opened), fsync,
 * rename over the target. An existing target that is not a regular file (a symbolic link, device node such as
 * /dev/full, FIFO, folder) is refused (EEXIST, see sh_fio_strerror) and left as it was.
 *
 * Errors are reported as -1 with errno set (sh_open_beneath/sh_open_inside also report a refused path to a sh_diags); sh_fio_strerror turns the errno values used here into a short reason.
 * Descriptors returned are owned by the caller (close them); strings returned are owned by the caller. */
#ifndef SHINSA_FILEIO_H
#define SHINSA_FILEIO_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h" /* sh_loc (util.h includes this header after defining it) */

struct sh_diags; /* diag.h (which includes util.h, which includes this header) */

/* Flags for sh_open_input and sh_open_beneath. */
enum {
  SH_OPEN_NOFOLLOW = 1, /* the last component must not be a symbolic link (ELOOP) */
  SH_OPEN_IN_ROOT = 2,  /* sh_open_beneath: absolute paths and absolute link targets are taken inside the root,
                           as if it were `/` (probes of a copied server tree); without it they are refused */
};

/* Opens a regular file for reading (see above). Returns a descriptor, or -1 with errno: ENOENT, EACCES, ...,
 * EISDIR (a folder), EINVAL (FIFO, device, socket), ELOOP (a link with SH_OPEN_NOFOLLOW), ESTALE (the file was
 * replaced while it was being opened). */
int sh_open_input(const char *path, unsigned flags);

/* Opens a folder to serve as the root of sh_open_beneath. The path itself may go through links (it is the
 * folder the user named). Returns a descriptor or -1 with errno (ENOTDIR when not a folder). */
int sh_open_root(const char *dir);

/* Who named a path opened by sh_open_beneath, for the diagnostic of its refusal. */
typedef struct {
  sh_loc at;         /* where the path was written (the file, line and column of the referencing text); util.h */
  const char *what;  /* the error reads "WHAT refused: REASON" ("document path 'docs/a.pdf' refused: ...");
                        NULL: "refused: REASON" */
  bool io;           /* false (the default): a path written in input data, the error is of class data (exit 3);
                        true: a file the user named, such as the package's evidence.yaml: class io (exit 2) */
} sh_fref;

/* Opens rel, a path inside the folder rootfd, as a regular file for reading; rel and every link met on the way
 * must stay inside the root. Returns a descriptor, or -1 with errno set.
 * A refusal is reported to d (diag.h), one error at ref->at (class data, or io with ref->io): an empty or absolute path, a path or link
 * leaving the root (errno EXDEV), a dangling link (ENOENT), too many links or a link as last component with
 * SH_OPEN_NOFOLLOW (ELOOP). The caller tells it from the failures it reports itself by d->nerrors having grown.
 * Other failures add nothing to d: ENOENT (a plainly written path is missing), EISDIR, ENOTDIR, EINVAL (not a
 * regular file), ESTALE, EACCES, ... as for sh_open_input. */
int sh_open_beneath(int rootfd, const char *rel, unsigned flags, const sh_fref *ref, struct sh_diags *d);

/* sh_open_beneath with a root named by path (opened and closed here; when it cannot be opened: -1 with errno,
 * nothing added to d). */
int sh_open_inside(const char *dir, const char *rel, unsigned flags, const sh_fref *ref, struct sh_diags *d);

/* Reads the rest of fd into *out (NUL-terminated, caller frees) and its length into *len (may be NULL).
 * Returns 0, or -1 with errno (EFBIG when larger than max_bytes, nothing returned then). Does not close fd. */
int sh_read_fd(int fd, size_t max_bytes, char **out, size_t *len);

/* sh_open_input (no flags) + sh_read_fd + close. */
int sh_read_file(const char *path, size_t max_bytes, char **out, size_t *len);

/* Writes data to path atomically (see above). Returns 0 or -1 with errno set; on failure nothing is left at path
 * that was not there before, and no temporary file is left behind. */
int sh_write_file_atomic(const char *path, const char *data, size_t len);

/* The two halves of sh_write_file_atomic, for several outputs written all or nothing: sh_stage_file writes data
 * to a new temporary beside path (same checks, fsynced) and returns its name (NULL with errno on failure, nothing
 * left); sh_stage_commit renames it over path (0, or -1 with errno and the temporary removed); sh_stage_abort
 * removes it. Both take ownership of tmp (freed). */
char *sh_stage_file(const char *path, const char *data, size_t len);
int sh_stage_commit(char *tmp, const char *path);
void sh_stage_abort(char *tmp);

/* A short reason for an errno value, in the message language (_()): this module's own ("not a regular file (a FIFO,
 * device or socket)", "larger than the size limit", ...) and the commonest system errors (the C library's English
 * text as msgid), else strerror. Static string. */
const char *sh_fio_strerror(int err);

#endif
