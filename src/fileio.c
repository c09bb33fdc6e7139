/* fileio: opening input files safely, bounded reads, atomic output. See fileio.h. */
#define _GNU_SOURCE /* O_PATH, mkostemp */
#include "fileio.h"
#include "i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"

#ifndef O_PATH
#define O_PATH O_RDONLY
#endif

#define MAX_LINKS 40

/* The type check on a descriptor opened with O_PATH (or any descriptor). */
static int check_regular(const struct stat *st) {
  if (S_ISREG(st->st_mode)) return 0;
  if (S_ISLNK(st->st_mode)) errno = ELOOP;
  else if (S_ISDIR(st->st_mode)) errno = EISDIR;
  else errno = EINVAL;
  return -1;
}

/* Re-opens name (relative to dirfd) for reading and checks it is the file pathfd's stat describes. */
static int reopen_same(int dirfd, const char *name, const struct stat *want, bool nofollow) {
  int fd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0));
  if (fd < 0) return -1;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  if (st.st_dev != want->st_dev || st.st_ino != want->st_ino || !S_ISREG(st.st_mode)) {
    close(fd);
    errno = ESTALE;
    return -1;
  }
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  return fd;
}

int sh_open_input(const char *path, unsigned flags) {
  bool nofollow = flags & SH_OPEN_NOFOLLOW;
  int pfd = open(path, O_PATH | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0));
  if (pfd < 0) return -1;
  struct stat st;
  if (fstat(pfd, &st) != 0 || check_regular(&st) != 0) {
    int e = errno;
    close(pfd);
    errno = e;
    return -1;
  }
  close(pfd);
  /* The same name again, now for reading; a swap in between is caught by the st_dev/st_ino comparison. */
  return reopen_same(AT_FDCWD, path, &st, nofollow);
}

int sh_open_root(const char *dir) {
  return open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/* Splits path on '/' and pushes owned components onto todo so that the first component is popped first. */
static void push_components(sh_vec *todo, const char *path) {
  sh_vec parts = {0};
  for (const char *p = path; *p;) {
    while (*p == '/') p++;
    if (!*p) break;
    const char *q = strchr(p, '/');
    size_t n = q ? (size_t)(q - p) : strlen(p);
    sh_vec_push(&parts, sh_strndup(p, n));
    p += n;
  }
  for (size_t i = parts.n; i-- > 0;) sh_vec_push(todo, parts.v[i]);
  sh_vec_free(&parts);
}

/* The real path of the root folder (for absolute link targets that point inside it), or NULL. */
static char *root_real(int rootfd) {
  char proc[64], buf[PATH_MAX];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", rootfd);
  ssize_t n = readlink(proc, buf, sizeof buf - 1);
  if (n <= 0) return NULL;
  buf[n] = '\0';
  return sh_strdup(buf);
}

static void close_stack(sh_vec *stack) {
  for (size_t i = 0; i < stack->n; i++) close((int)(intptr_t)stack->v[i]);
  sh_vec_free(stack);
}

/* The walk behind sh_open_beneath: a refusal sets *why (a static string). */
static int open_beneath(int rootfd, const char *rel, unsigned flags, const char **why) {
  *why = NULL;
  if (!rel || !*rel) {
    *why = N_("empty path");
    errno = ENOENT;
    return -1;
  }
  if (rel[0] == '/' && !(flags & SH_OPEN_IN_ROOT)) {
    *why = N_("absolute paths are not allowed");
    errno = EXDEV;
    return -1;
  }
  sh_vec todo = {0};  /* components still to resolve, next one last */
  sh_vec stack = {0}; /* O_PATH descriptors of the folders below the root reached so far (int in void*) */
  push_components(&todo, rel);
  int links = 0, result = -1, err = 0;
  char *rreal = NULL;
  while (todo.n) {
    char *comp = todo.v[--todo.n];
    int cur = stack.n ? (int)(intptr_t)stack.v[stack.n - 1] : rootfd;
    if (strcmp(comp, ".") == 0) {
      free(comp);
      if (todo.n == 0) {
        err = EISDIR;
        break;
      }
      continue;
    }
    if (strcmp(comp, "..") == 0) {
      free(comp);
      if (stack.n == 0) {
        *why = links ? N_("a symbolic link leads out of the folder") : N_("'..' leads out of the folder");
        err = EXDEV;
        break;
      }
      close((int)(intptr_t)stack.v[--stack.n]);
      if (todo.n == 0) {
        err = EISDIR;
        break;
      }
      continue;
    }
    bool last = todo.n == 0;
    int fd = openat(cur, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
      err = errno;
      if (fd >= 0) close(fd);
      if (err == ENOENT && links) *why = N_("a symbolic link that cannot be resolved");
      free(comp);
      break;
    }
    if (S_ISLNK(st.st_mode)) {
      char target[PATH_MAX];
      ssize_t n = (last && (flags & SH_OPEN_NOFOLLOW)) || ++links > MAX_LINKS
                      ? -2
                      : readlinkat(cur, comp, target, sizeof target - 1);
      close(fd);
      free(comp);
      if (n == -2) {
        *why = links > MAX_LINKS ? N_("too many levels of symbolic links") : N_("a symbolic link is not allowed here");
        err = ELOOP;
        break;
      }
      if (n < 0) {
        err = errno;
        break;
      }
      target[n] = '\0';
      if (target[0] == '/') {
        const char *inside = NULL;
        if (flags & SH_OPEN_IN_ROOT) {
          inside = target;
        } else {
          /* An absolute target is accepted only when it names a place inside the root's real path. */
          if (!rreal) rreal = root_real(rootfd);
          size_t rl = rreal ? strlen(rreal) : 0;
          if (rreal && strncmp(target, rreal, rl) == 0 && (target[rl] == '/' || target[rl] == '\0'))
            inside = target + rl;
        }
        if (!inside) {
          *why = N_("a symbolic link leads out of the folder");
          err = EXDEV;
          break;
        }
        close_stack(&stack);
        push_components(&todo, inside);
        if (todo.n == 0) {
          err = EISDIR;
          break;
        }
      } else {
        push_components(&todo, target);
        if (todo.n == 0) {
          err = ENOENT;
          break;
        }
      }
      continue;
    }
    if (!last) {
      free(comp);
      if (!S_ISDIR(st.st_mode)) {
        close(fd);
        err = ENOTDIR;
        break;
      }
      sh_vec_push(&stack, (void *)(intptr_t)fd);
      continue;
    }
    if (check_regular(&st) != 0) {
      err = errno;
      close(fd);
      free(comp);
      break;
    }
    close(fd);
    result = reopen_same(cur, comp, &st, true);
    if (result < 0) err = errno;
    free(comp);
    break;
  }
  sh_vec_free_all(&todo, free);
  close_stack(&stack);
  free(rreal);
  if (result < 0) errno = err ? err : ENOENT;
  return result;
}

int sh_open_beneath(int rootfd, const char *rel, unsigned flags, const sh_fref *ref, sh_diags *d) {
  const char *why = NULL;
  int fd = open_beneath(rootfd, rel, flags, &why);
  if (fd < 0 && why) {
    int e = errno;
    sh_diag_class cls = ref->io ? SH_DIAG_IO : SH_DIAG_DATA;
    if (ref->what)
      sh_diag_addc(d, cls, SH_SEV_ERROR, ref->at.file, ref->at.line, ref->at.col, "%s refused: %s", ref->what, _(why));
    else
      sh_diag_addc(d, cls, SH_SEV_ERROR, ref->at.file, ref->at.line, ref->at.col, "refused: %s", _(why));
    errno = e;
  }
  return fd;
}

int sh_open_inside(const char *dir, const char *rel, unsigned flags, const sh_fref *ref, sh_diags *d) {
  int root = sh_open_root(dir);
  if (root < 0) return -1;
  int fd = sh_open_beneath(root, rel, flags, ref, d);
  int e = errno;
  close(root);
  errno = e;
  return fd;
}

int sh_read_fd(int fd, size_t max_bytes, char **out, size_t *len) {
  *out = NULL;
  if (len) *len = 0;
  sh_buf b = {0};
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    if ((unsigned long long)st.st_size > max_bytes) {
      errno = EFBIG;
      return -1;
    }
    b.data = sh_malloc((size_t)st.st_size + 1);
    b.cap = (size_t)st.st_size + 1;
    b.data[0] = '\0';
  }
  char chunk[65536];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      sh_buf_free(&b);
      errno = e;
      return -1;
    }
    if (n == 0) break;
    if (b.len + (size_t)n > max_bytes) {
      sh_buf_free(&b);
      errno = EFBIG;
      return -1;
    }
    sh_buf_put(&b, chunk, (size_t)n);
  }
  if (len) *len = b.len;
  *out = sh_buf_steal(&b);
  return 0;
}

int sh_read_file(const char *path, size_t max_bytes, char **out, size_t *len) {
  *out = NULL;
  if (len) *len = 0;
  int fd = sh_open_input(path, 0);
  if (fd < 0) return -1;
  int rc = sh_read_fd(fd, max_bytes, out, len);
  int e = errno;
  close(fd);
  errno = e;
  return rc;
}

static int fail_tmp(int fd, const char *tmp) {
  int e = errno;
  if (fd >= 0) close(fd);
  unlink(tmp);
  errno = e;
  return -1;
}

char *sh_stage_file(const char *path, const char *data, size_t len) {
  struct stat st;
  mode_t mode;
  if (lstat(path, &st) == 0) {
    if (!S_ISREG(st.st_mode)) {
      errno = EEXIST;
      return NULL;
    }
    mode = st.st_mode & 07777;
  } else if (errno != ENOENT) {
    return NULL;
  } else {
    mode_t um = umask(0);
    umask(um);
    mode = 0666 & ~um;
  }
  char *dir = sh_path_dirname(path);
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  char *tmp = sh_printf("%s/.%s.XXXXXX", dir, base);
  free(dir);
  int fd = mkostemp(tmp, O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    free(tmp);
    errno = e;
    return NULL;
  }
  if (fchmod(fd, mode) != 0) goto fail;
  for (size_t off = 0; off < len;) {
    ssize_t w = write(fd, data + off, len - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      goto fail;
    }
    off += (size_t)w;
  }
  if (fsync(fd) != 0) goto fail;
  if (close(fd) != 0) {
    fd = -1;
    goto fail;
  }
  return tmp;
fail:
  fail_tmp(fd, tmp);
  {
    int e = errno;
    free(tmp);
    errno = e;
  }
  return NULL;
}

int sh_stage_commit(char *tmp, const char *path) {
  struct stat st;
  /* Checked again just before the rename: a target turned into a link or device in the meantime is refused.
   * (rename itself replaces the name, never what a link points to.) */
  if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) errno = EEXIST;
  else if (rename(tmp, path) == 0) {
    free(tmp);
    return 0;
  }
  fail_tmp(-1, tmp);
  int e = errno;
  free(tmp);
  errno = e;
  return -1;
}

void sh_stage_abort(char *tmp) {
  if (!tmp) return;
  int e = errno;
  unlink(tmp);
  free(tmp);
  errno = e;
}

int sh_write_file_atomic(const char *path, const char *data, size_t len) {
  char *tmp = sh_stage_file(path, data, len);
  return tmp ? sh_stage_commit(tmp, path) : -1;
}

const char *sh_fio_strerror(int err) {
  switch (err) {
  case EFBIG: return _("larger than the size limit");
  case EISDIR: return _("it is a folder, not a file");
  case EINVAL: return _("not a regular file (a FIFO, device or socket)");
  case ELOOP: return _("a symbolic link is not allowed here (or too many levels of links)");
  case EXDEV: return _("the path leaves its folder");
  case ESTALE: return _("the file was replaced while it was being opened");
  case EEXIST:
    return _("exists and is not a regular file (a link, device, FIFO or folder): refusing to replace it");
  /* The commonest system errors in the message language; the English is the C library's own text. */
  case ENOENT: return _("No such file or directory");
  case EACCES: return _("Permission denied");
  case ENOTDIR: return _("Not a directory");
  case ENOSPC: return _("No space left on device");
  case EROFS: return _("Read-only file system");
  case ENAMETOOLONG: return _("File name too long");
  default: return strerror(err);
  }
}
