#define _GNU_SOURCE
#include "magpie_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t magpie_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd, int stdout_fd, int stderr_fd) {
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return -errno;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int saved = errno;
        close(report[0]);
        close(report[1]);
        return -saved;
    }
    if (pid == 0) {
        // Child: only async-signal-safe calls until execve.
        int err = 0;
        sigset_t all;
        sigemptyset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL);
        signal(SIGPIPE, SIG_DFL);
        if (setpgid(0, 0) != 0) { err = errno; goto fail; }
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) { err = errno; goto fail; }
        if (getppid() != parent) _exit(127);  // the parent already died
        int devnull = open("/dev/null", O_RDWR);
        if (devnull < 0) { err = errno; goto fail; }
        if (dup2(devnull, 0) < 0) { err = errno; goto fail; }
        if (dup2(stdout_fd >= 0 ? stdout_fd : devnull, 1) < 0) { err = errno; goto fail; }
        if (dup2(stderr_fd >= 0 ? stderr_fd : devnull, 2) < 0) { err = errno; goto fail; }
        if (cwd && chdir(cwd) != 0) { err = errno; goto fail; }
        // Close every other descriptor the server holds (sockets, the database).
        if (report[1] > 3) close_range(3, (unsigned)report[1] - 1, 0);
        close_range((unsigned)report[1] + 1, ~0U, 0);
        execve(path, argv, envp);
        err = errno;
    fail:
        (void)!write(report[1], &err, sizeof err);
        _exit(127);
    }
    close(report[1]);
    int err = 0;
    ssize_t n;
    do { n = read(report[0], &err, sizeof err); } while (n < 0 && errno == EINTR);
    close(report[0]);
    if (n == (ssize_t)sizeof err) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        return -err;
    }
    return pid;
}

int magpie_wait(pid_t pid) {
    int status = 0;
    for (;;) {
        if (waitpid(pid, &status, 0) >= 0) break;
        if (errno != EINTR) return -errno;
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

int magpie_kill_group(pid_t pid, int signal) {
    if (kill(-pid, signal) == 0) return 0;
    return kill(pid, signal) == 0 ? 0 : -errno;
}

int magpie_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC) == 0 ? 0 : -errno;
}
