#ifndef MAGPIE_SPAWN_H
#define MAGPIE_SPAWN_H

#include <sys/types.h>

/// Starts `path` with `argv` (NULL-terminated; never through a shell) and `envp`, in its own process
/// group, with stdin from /dev/null, stdout to `stdout_fd` and stderr to `stderr_fd` (-1: /dev/null),
/// working directory `cwd`, and SIGKILL as its parent-death signal (so a killed server leaves no
/// orphan behind; the calling thread must outlive the child, see the Swift caller).
/// Returns the pid, or -errno on failure.
pid_t magpie_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd, int stdout_fd, int stderr_fd);

/// Blocking waitpid; returns the exit code (0…255), 128+signal when killed by a signal, or -errno.
int magpie_wait(pid_t pid);

/// Sends `signal` to the child's process group (the child and anything it started).
int magpie_kill_group(pid_t pid, int signal);

/// pipe2(O_CLOEXEC): the server's ends never leak into other children.
int magpie_pipe_cloexec(int fds[2]);

#endif
